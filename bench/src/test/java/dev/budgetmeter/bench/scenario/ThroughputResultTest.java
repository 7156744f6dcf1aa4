package dev.budgetmeter.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.bench.report.Goal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ratio's verdict: an unsaturated side only bounds the ratio, so some runs cannot tell. */
class ThroughputResultTest {

    @Test
    void both_saturated_decides_by_the_ratio() {
        assertThat(verdict(100, true, 70, true)).isTrue();
        assertThat(verdict(100, true, 50, true)).isFalse();
    }

    @Test
    void an_unsaturated_baseline_can_only_prove_the_goal_missed() {
        // The baseline could do more, so the true ratio is at most the measured one.
        assertThat(verdict(100, false, 50, true)).isFalse();
        assertThat(verdict(100, false, 70, true)).isNull();
    }

    @Test
    void an_unsaturated_metering_run_can_only_prove_the_goal_met() {
        // Metering could do more, so the true ratio is at least the measured one.
        assertThat(verdict(100, true, 70, false)).isTrue();
        assertThat(verdict(100, true, 50, false)).isNull();
    }

    private static Boolean verdict(final double baselineRate, final boolean baselineSaturated,
                                   final double meteringRate, final boolean meteringSaturated) {
        final ThroughputResult result = new ThroughputResult(3, 11, 100, 64,
                outcome(baselineRate, baselineSaturated), outcome(meteringRate, meteringSaturated),
                meteringRate / baselineRate, Map.of(), Map.of());
        final List<Goal> goals = result.goals();
        assertThat(goals).hasSize(1);
        return goals.get(0).met();
    }

    private static SaturationSearch.Outcome outcome(final double rate, final boolean saturated) {
        final LoadStep step = new LoadStep(rate, rate, rate, null, 0, saturated, 2.0);
        return new SaturationSearch.Outcome(List.of(step), rate, saturated, null, 2.0);
    }
}
