package dev.budgetmeter.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateEstimatorTest {

    @Test
    void slope_of_a_count_that_moves_in_steps_is_its_mean_rate() {
        // Given a count that jumps by 1,000 every 100 ms (commits) while it is sampled every 30 ms
        final RateEstimator rate = new RateEstimator();
        for (long ms = 0; ms <= 3_000; ms += 30) {
            rate.add(ms * 1_000_000L, ms / 100 * 1_000);
        }

        // Then the estimate is close to 10,000 per second
        assertThat(rate.perSecond()).isCloseTo(10_000, within(300.0));
    }

    @Test
    void fewer_than_two_samples_have_no_rate() {
        final RateEstimator rate = new RateEstimator();
        rate.add(0, 5);

        assertThat(rate.perSecond()).isZero();
    }
}
