package dev.budgetmeter.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.bench.report.Distribution;
import dev.budgetmeter.bench.report.Goal;
import dev.budgetmeter.bench.report.Table;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger's verdicts against p99 <= 150 ms, and what the shorter commit interval is shown to cost. */
class LedgerResultTest {

    @Test
    void each_commit_interval_and_mix_gets_a_latency_goal_decided_by_its_p99() {
        // Given the default interval at p99 300 ms and 20 ms at p99 120 ms, for two mixes each
        final LedgerResult result = result(run(100, true, 4_000, 300, 0), run(20, false, 3_000, 120, 0));

        // When the goals are read
        final List<Goal> goals = result.goals();

        // Then the default misses in both mixes and 20 ms meets in both
        assertThat(goals).hasSize(4);
        assertThat(goals).extracting(Goal::met).containsExactly(false, false, true, true);
        assertThat(goals.get(2).name()).contains("commit 20 ms").contains("one hot tenant");
        assertThat(result.notes().get(0)).contains("met at commit 20 ms").contains("not met at commit 100 ms");
    }

    @Test
    void a_missing_decision_fails_the_goal_whatever_the_percentiles() {
        final LedgerResult result = result(run(20, false, 3_000, 120, 1));

        assertThat(result.goals()).extracting(Goal::met).containsOnly(false);
        assertThat(result.goals().get(0).note()).contains("1 decisions not read");
    }

    @Test
    void the_cost_table_compares_each_mix_against_the_default_interval() {
        final LedgerResult result = result(run(100, true, 4_000, 300, 0), run(20, false, 3_000, 120, 0));

        final Table cost = result.tables().stream().filter(table -> table.title().contains("costs")).findFirst()
                .orElseThrow();

        assertThat(cost.rows()).hasSize(2);
        assertThat(cost.rows().get(0)).containsExactly("one hot tenant", "100 ms (default) -> 20 ms",
                "4,000 -> 3,000", "0.75", "300 -> 120");
    }

    private static LedgerResult result(final LedgerResult.AtCommitInterval... runs) {
        return new LedgerResult(3, 64, new LedgerResult.Baseline(100_000, true, 1.0, "test"), List.of(runs));
    }

    private static LedgerResult.AtCommitInterval run(final long commitMs, final boolean streamsDefault,
                                                     final double decisionsPerSecond, final double p99,
                                                     final long missing) {
        return new LedgerResult.AtCommitInterval(commitMs, streamsDefault, List.of(
                mix("one hot tenant", 1, decisionsPerSecond, p99, missing),
                mix("1,000 tenants", 1_000, decisionsPerSecond, p99, missing)), 0, Map.of("decisions", 1.0));
    }

    private static LedgerResult.MixRun mix(final String label, final int tenants, final double rate,
                                           final double p99, final long missing) {
        final LoadStep step = new LoadStep(rate, rate, rate, null, 0, true, 10.0);
        final Distribution latency = new Distribution("ms", 1_000, 1, p99 / 2, p99 * 0.9, p99, p99, p99 / 2);
        return new LedgerResult.MixRun(label, tenants,
                new SaturationSearch.Outcome(List.of(step), rate, true, null, 10.0), rate / 100_000, 0.1,
                List.of(new LatencyResult.AtLoad(0.5, rate / 2, rate / 2, 1_000, missing, latency)));
    }
}
