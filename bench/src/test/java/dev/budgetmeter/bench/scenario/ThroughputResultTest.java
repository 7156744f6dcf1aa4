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

    @Test
    void the_cpu_goals_compare_cpu_per_event_to_each_baseline_also_at_the_common_rate() {
        final LoadStep passThrough = new LoadStep(1_000, 1_000, 1_000, null, 0, false, 20.0);
        final LoadStep floor = new LoadStep(1_000, 1_000, 1_000, null, 0, false, 30.0);
        final LoadStep metering = new LoadStep(1_000, 1_000, 1_000, 10.0, 0, false, 40.0);
        final ThroughputResult result = new ThroughputResult(3, 11, 100, 64, outcome(100_000, true, 2.0),
                outcome(60_000, true, 4.0), outcome(40_000, true, 5.0), 0.4,
                new ThroughputResult.CommonRate(1_000, passThrough, floor, metering), Map.of());

        final List<Goal> goals = result.goals();

        assertThat(goals).extracting(Goal::name).containsExactly("metering / pass-through saturation throughput",
                "metering / pass-through in CPU per event", "metering / stateful floor in CPU per event");
        assertThat(goals.get(1).met()).as("2 / 5 = 0.40 >= 0.35").isTrue();
        assertThat(goals.get(1).value()).contains("0.40", "at 1,000 events/s 0.50");
        assertThat(goals.get(2).met()).as("4 / 5 = 0.80 >= 0.7").isTrue();
        assertThat(goals.get(2).value()).contains("0.80", "0.75");
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
                outcome(baselineRate, baselineSaturated, baselineCpu), null,
                outcome(meteringRate, meteringSaturated, meteringCpu), meteringRate / baselineRate, null, Map.of());
        final List<Goal> goals = result.goals();
        assertThat(goals).hasSize(2);
        return goals.get(0).met();
    }

    private static SaturationSearch.Outcome outcome(final double rate, final boolean saturated,
                                                    final double cpuMicrosPerEvent) {
        final LoadStep step = new LoadStep(rate, rate, rate, null, 0, saturated, cpuMicrosPerEvent);
        return new SaturationSearch.Outcome(List.of(step), rate, saturated, null, cpuMicrosPerEvent);
    }
}
