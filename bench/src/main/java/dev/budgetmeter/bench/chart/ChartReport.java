package dev.budgetmeter.bench.chart;

import dev.budgetmeter.bench.report.BenchResults;
import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Goal;
import dev.budgetmeter.bench.report.ScenarioResult;
import dev.budgetmeter.bench.scenario.LatencyResult;
import dev.budgetmeter.bench.scenario.LoadStep;
import dev.budgetmeter.bench.scenario.ProducerOverheadResult;
import dev.budgetmeter.bench.scenario.SaturationSearch;
import dev.budgetmeter.bench.scenario.ScaleResult;
import dev.budgetmeter.bench.scenario.ThroughputResult;
import dev.budgetmeter.bench.scenario.TimeoutResult;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Writes {@code chart.png}: one panel per figure (throughput steps, latency percentiles, timeout excess, the budget
 * ledger's decisions per second and decision latency, punctuation cost by store size, JMH times) and a double-width
 * one with the goals' verdicts, a line each. Drawn headless with Java2D.
 */
public final class ChartReport {

    public static final String FILE = "chart.png";
    private static final int PANEL_WIDTH = 560;
    private static final int PANEL_HEIGHT = 400;
    private static final int COLUMNS = 3;
    private static final int ROWS = 3;
    /** Characters of a goal's line in the double-width panel. */
    private static final int GOAL_LINE = 165;

    /** Writes the chart into {@code directory}. */
    public Path write(final BenchResults results, final Path directory) {
        final BufferedImage image = new BufferedImage(PANEL_WIDTH * COLUMNS, PANEL_HEIGHT * ROWS,
                BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            throughput(new PlotPanel(g, cell(0), "Throughput: processed vs offered"), result(results, "throughput"));
            latency(new PlotPanel(g, cell(1), "Latency: End produced -> Commit visible"),
                    result(results, "latency"));
            timeout(new PlotPanel(g, cell(2), "Timeout precision: settle - last event - idle"),
                    result(results, "timeout"));
            LedgerCharts.decisions(new PlotPanel(g, cell(3), "Budget ledger: decisions/s at saturation"),
                    result(results, "ledger"));
            LedgerCharts.latency(new PlotPanel(g, cell(4), "Budget ledger: Reserve sent -> decision read"),
                    result(results, "ledger"));
            scale(new PlotPanel(g, cell(5), "Punctuation cost by active reservations"), result(results, "scale"));
            producer(new PlotPanel(g, cell(6), "Producer hot path (JMH)"), result(results, "producer"));
            final Rectangle last = cell(7);
            goals(new PlotPanel(g, new Rectangle(last.x, last.y, PANEL_WIDTH * 2, PANEL_HEIGHT), "Goals ("
                    + results.profile() + " run, " + results.machine().cores() + " cores)"), results.goals());
        } finally {
            g.dispose();
        }
        final Path file = directory.resolve(FILE);
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static Rectangle cell(final int index) {
        return new Rectangle(index % COLUMNS * PANEL_WIDTH, index / COLUMNS * PANEL_HEIGHT, PANEL_WIDTH,
                PANEL_HEIGHT);
    }

    private static ScenarioResult result(final BenchResults results, final String id) {
        return results.scenarios().get(id);
    }

    private static void throughput(final PlotPanel panel, final ScenarioResult result) {
        if (!(result instanceof ThroughputResult throughput)) {
            panel.message(ChartStyle.absent(result));
            return;
        }
        final List<LoadStep> all = Stream.of(throughput.baseline(), throughput.floor(), throughput.metering())
                .filter(Objects::nonNull).flatMap(outcome -> outcome.steps().stream()).toList();
        final List<Double> offered = all.stream().map(LoadStep::offeredRate).distinct().sorted().toList();
        final double minX = offered.get(0);
        final double maxX = offered.get(offered.size() - 1);
        final double maxY = all.stream().mapToDouble(step -> Math.max(step.processedRate(), step.producedRate()))
                .max().orElse(1);
        final Axis x = Axis.logAt(offered);
        final Axis y = Axis.linear(0, maxY);
        panel.axes(x, y, "offered events/s (log)", "events/s", ChartStyle::thousands, ChartStyle::thousands);
        series(panel, x, y, throughput.baseline(), PlotPanel.PALETTE[0], "pass-through baseline");
        if (throughput.floor() != null) {
            series(panel, x, y, throughput.floor(), PlotPanel.PALETTE[2], "stateful floor");
        }
        series(panel, x, y, throughput.metering(), PlotPanel.PALETTE[1], "metering (ratio "
                + Formats.fixed(throughput.ratio(), 2) + ")");
        panel.line(x, y, new double[] {minX, maxX}, new double[] {minX, maxX}, Color.GRAY, "processed = offered",
                true);
    }

    private static void series(final PlotPanel panel, final Axis x, final Axis y,
                               final SaturationSearch.Outcome outcome, final Color color, final String label) {
        // Refinement steps come after the rising ones: draw in order of offered load.
        final List<LoadStep> steps = outcome.steps().stream()
                .sorted(Comparator.comparingDouble(LoadStep::offeredRate)).toList();
        panel.line(x, y, steps.stream().mapToDouble(LoadStep::offeredRate).toArray(),
                steps.stream().mapToDouble(LoadStep::processedRate).toArray(), color, label, false);
    }

    private static void latency(final PlotPanel panel, final ScenarioResult result) {
        if (!(result instanceof LatencyResult latency) || latency.loads().isEmpty()) {
            panel.message(ChartStyle.absent(result));
            return;
        }
        final double[][] values = latency.loads().stream().map(load -> new double[] {load.latency().p50(),
            load.latency().p99(), load.latency().max()}).toArray(double[][]::new);
        final double top = Math.max(LatencyResult.P99_GOAL_MS,
                DoubleStream.of(ChartStyle.flatten(values)).max().orElse(1));
        final Axis y = Axis.linear(0, top * ChartStyle.HEADROOM);
        panel.yAxis(y, "ms", ChartStyle::whole);
        panel.bars(y, latency.loads().stream().map(load -> Formats.whole(load.fraction() * 100) + "% load").toList(),
                List.of("p50", "p99", "max"), values, ChartStyle::whole);
        panel.reference(y, LatencyResult.P99_GOAL_MS, ChartStyle.NOT_MET, "p99 goal 300 ms");
    }

    private static void timeout(final PlotPanel panel, final ScenarioResult result) {
        if (!(result instanceof TimeoutResult timeout)) {
            panel.message(ChartStyle.absent(result));
            return;
        }
        final double[][] values = {{timeout.excess().min(), timeout.excess().p50(), timeout.excess().p90(),
            timeout.excess().p99(), timeout.excess().max()}};
        final Axis y = Axis.linear(0, Math.max(timeout.allowedExcessMs(), timeout.excess().max())
                * ChartStyle.HEADROOM);
        panel.yAxis(y, "ms after the idle timeout", ChartStyle::whole);
        panel.bars(y, List.of(timeout.streams() + " abandoned streams, idle " + timeout.idleTimeoutMs() + " ms"),
                List.of("min", "p50", "p90", "p99", "max"), values, ChartStyle::whole);
        panel.reference(y, timeout.allowedExcessMs(), ChartStyle.NOT_MET, "allowed: punctuation + 1 s");
    }

    private static void scale(final PlotPanel panel, final ScenarioResult result) {
        if (!(result instanceof ScaleResult scale)) {
            panel.message(ChartStyle.absent(result));
            return;
        }
        final double[] active = scale.points().stream().mapToDouble(ScaleResult.Point::activeReservations).toArray();
        final double[] p50 = scale.points().stream().mapToDouble(point -> point.punctuation().p50()).toArray();
        final double[] p90 = scale.points().stream().mapToDouble(point -> point.punctuation().p90()).toArray();
        final Axis x = Axis.logAt(DoubleStream.of(active).boxed().toList());
        final Axis y = Axis.linear(0, DoubleStream.of(p90).max().orElse(1));
        panel.axes(x, y, "active reservations (log)", "µs per punctuation", ChartStyle::thousands,
                ChartStyle::whole);
        panel.line(x, y, active, p90, PlotPanel.PALETTE[3], "p90", false);
        panel.line(x, y, active, p50, PlotPanel.PALETTE[0], "p50 (flatness " + Formats.fixed(scale.flatness(), 2)
                + ")", false);
        final ScaleResult.Point largest = scale.points().get(scale.points().size() - 1);
        panel.note(Formats.fixed(largest.bytesPerReservation(), 0) + " bytes/reservation at "
                + ChartStyle.thousands(largest.activeReservations()));
    }

    private static void producer(final PlotPanel panel, final ScenarioResult result) {
        if (!(result instanceof ProducerOverheadResult producer)) {
            panel.message(ChartStyle.absent(result));
            return;
        }
        final List<ProducerOverheadResult.Row> rows = producer.rows();
        final double[][] values = rows.stream().map(row -> new double[] {row.nsPerOp()}).toArray(double[][]::new);
        final Axis y = Axis.linear(0, rows.stream().mapToDouble(ProducerOverheadResult.Row::nsPerOp).max()
                .orElse(1) * ChartStyle.HEADROOM);
        panel.yAxis(y, "ns per call", ChartStyle::whole);
        panel.bars(y, rows.stream().map(ProducerOverheadResult.Row::benchmark).toList(), List.of("ns/op"), values,
                ChartStyle::whole);
    }

    private static void goals(final PlotPanel panel, final List<Goal> goals) {
        if (goals.isEmpty()) {
            panel.message("no goal measured");
            return;
        }
        final List<String> lines = new ArrayList<>();
        final List<Color> colors = new ArrayList<>();
        for (final Goal goal : goals) {
            lines.add(clip(goal.verdict() + ": " + goal.name() + ": " + goal.value() + " (goal " + goal.target()
                    + ")"));
            colors.add(goal.met() == null ? Color.GRAY : goal.met() ? ChartStyle.MET : ChartStyle.NOT_MET);
        }
        panel.text(lines, colors);
    }

    private static String clip(final String text) {
        return text.length() <= GOAL_LINE ? text : text.substring(0, GOAL_LINE - 3) + "...";
    }
}
