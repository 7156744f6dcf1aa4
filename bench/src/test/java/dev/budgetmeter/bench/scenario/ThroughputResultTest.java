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

    @Test
    void a_cpu_ratio_far_from_the_rate_ratio_means_the_run_cannot_tell() {
        // 2 us vs 10 us per event is a CPU ratio of 0.2: a rate ratio of 0.7 says the baseline was starved.
        assertThat(verdict(100, true, 2.0, 70, true, 10.0)).isNull();
        assertThat(verdict(100, true, 2.0, 70, true, 2.5)).isTrue();
    }

    private static Boolean verdict(final double baselineRate, final boolean baselineSaturated,
                                   final double meteringRate, final boolean meteringSaturated) {
        // Equal CPU ratio and rate ratio: the machine's load did not change between the searches.
        return verdict(baselineRate, baselineSaturated, 1.0, meteringRate, meteringSaturated,
                baselineRate / meteringRate);
    }

    private static Boolean verdict(final double baselineRate, final boolean baselineSaturated,
                                   final double baselineCpu, final double meteringRate,
                                   final boolean meteringSaturated, final double meteringCpu) {
        final ThroughputResult result = new ThroughputResult(3, 11, 100, 64,
                outcome(baselineRate, baselineSaturated, baselineCpu),
                outcome(meteringRate, meteringSaturated, meteringCpu), meteringRate / baselineRate, Map.of(),
                Map.of());
        final List<Goal> goals = result.goals();
        assertThat(goals).hasSize(1);
        return goals.get(0).met();
    }

    private static SaturationSearch.Outcome outcome(final double rate, final boolean saturated,
                                                    final double cpuMicrosPerEvent) {
        final LoadStep step = new LoadStep(rate, rate, rate, null, 0, saturated, cpuMicrosPerEvent);
        return new SaturationSearch.Outcome(List.of(step), rate, saturated, null, cpuMicrosPerEvent);
    }
}
