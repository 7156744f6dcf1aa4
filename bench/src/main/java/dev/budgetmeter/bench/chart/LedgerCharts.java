package dev.budgetmeter.bench.chart;

import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.ScenarioResult;
import dev.budgetmeter.bench.scenario.LatencyResult;
import dev.budgetmeter.bench.scenario.LedgerResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.DoubleStream;

/** The budget ledger's two panels: decisions per second by commit interval and tenant mix, and decision latency. */
final class LedgerCharts {

    private LedgerCharts() {
    }

    /** Grouped bars: one group per commit interval, one bar per tenant mix; the baseline as a note. */
    static void decisions(final PlotPanel panel, final ScenarioResult result) {
        if (!(result instanceof LedgerResult ledger) || ledger.runs().isEmpty()) {
            panel.message(ChartStyle.absent(result));
            return;
        }
        final List<String> mixes = ledger.runs().get(0).mixes().stream().map(LedgerResult.MixRun::mix).toList();
        final double[][] values = ledger.runs().stream().map(run -> run.mixes().stream()
                .mapToDouble(mix -> mix.search().saturationRate()).toArray()).toArray(double[][]::new);
        final Axis y = Axis.linear(0, DoubleStream.of(ChartStyle.flatten(values)).max().orElse(1)
                * ChartStyle.HEADROOM * ChartStyle.HEADROOM);
        panel.yAxis(y, "decisions/s", ChartStyle::thousands);
        panel.bars(y, ledger.runs().stream().map(run -> "commit " + run.label()).toList(), mixes, values,
                ChartStyle::whole);
        panel.note("pass-through: " + ChartStyle.thousands(ledger.baseline().rate()) + " records/s");
    }

    /** Grouped bars of p50, p99 and max per commit interval and mix, with the goal as a line. */
    static void latency(final PlotPanel panel, final ScenarioResult result) {
        if (!(result instanceof LedgerResult ledger) || ledger.runs().isEmpty()) {
            panel.message(ChartStyle.absent(result));
            return;
        }
        final List<String> groups = new ArrayList<>();
        final List<double[]> values = new ArrayList<>();
        for (final LedgerResult.AtCommitInterval run : ledger.runs()) {
            for (final LedgerResult.MixRun mix : run.mixes()) {
                for (final LatencyResult.AtLoad load : mix.latency()) {
                    groups.add(run.commitIntervalMs() + " ms, " + (mix.tenants() == 1 ? "hot"
                            : Formats.whole(mix.tenants())));
                    values.add(new double[] {load.latency().p50(), load.latency().p99(), load.latency().max()});
                }
            }
        }
        if (groups.isEmpty()) {
            panel.message("no latency measured");
            return;
        }
        final double[][] bars = values.toArray(double[][]::new);
        final double top = Math.max(LedgerResult.P99_GOAL_MS, DoubleStream.of(ChartStyle.flatten(bars)).max()
                .orElse(1));
        final Axis y = Axis.linear(0, top * ChartStyle.HEADROOM);
        panel.yAxis(y, "ms", ChartStyle::whole);
        panel.bars(y, groups, List.of("p50", "p99", "max"), bars, ChartStyle::whole);
        panel.reference(y, LedgerResult.P99_GOAL_MS, ChartStyle.NOT_MET, "p99 goal 150 ms");
    }
}
