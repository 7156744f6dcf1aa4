package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.report.Distribution;
import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Goal;
import dev.budgetmeter.bench.report.ScenarioResult;
import dev.budgetmeter.bench.report.Table;
import java.util.List;

/**
 * End event produced to its settlement visible to a read_committed consumer, at fractions of the metering
 * saturation load. Immutable.
 *
 * @param saturationRate   the metering saturation throughput the loads are fractions of, events/s
 * @param saturationSource where that figure came from
 * @param commitIntervalMs the application's commit interval (the exactly-once default)
 * @param loads            one entry per fraction
 */
public record LatencyResult(double saturationRate, String saturationSource, long commitIntervalMs,
                            List<AtLoad> loads) implements ScenarioResult {

    /** The goal for the 99th percentile, in milliseconds. */
    public static final double P99_GOAL_MS = 300;

    /**
     * Latency at one load.
     *
     * @param fraction      of the saturation rate
     * @param offeredRate   events/s offered
     * @param producedRate  events/s actually sent
     * @param streams       streams measured (ended after the warm-up)
     * @param missing       measured streams whose settlement was not seen in time
     * @param latency       end produced -> commit visible
     */
    public record AtLoad(double fraction, double offeredRate, double producedRate, long streams, long missing,
                         Distribution latency) {
    }

    @Override
    public List<Goal> goals() {
        return loads.stream().map(load -> new Goal("latency",
                "p99 end -> commit visible at " + Formats.whole(load.fraction() * 100) + "% of saturation",
                "<= 300 ms", Formats.fixed(load.latency().p99(), 1) + " ms",
                load.missing() == 0 && load.latency().count() > 0 && load.latency().p99() <= P99_GOAL_MS,
                load.missing() == 0 ? "" : load.missing() + " settlements not seen")).toList();
    }

    @Override
    public List<Table> tables() {
        final List<List<String>> rows = loads.stream().map(load -> List.of(
                Formats.whole(load.fraction() * 100) + "%", Formats.whole(load.offeredRate()),
                Formats.whole(load.producedRate()), Long.toString(load.streams()), Long.toString(load.missing()),
                Formats.fixed(load.latency().p50(), 1), Formats.fixed(load.latency().p99(), 1),
                Formats.fixed(load.latency().max(), 1))).toList();
        return List.of(new Table("End event produced -> commit visible (read_committed), ms",
                List.of("load", "offered events/s", "produced events/s", "streams", "missing", "p50", "p99", "max"),
                rows));
    }

    @Override
    public List<String> notes() {
        return List.of(
                "Loads are fractions of the metering saturation throughput, " + Formats.whole(saturationRate)
                        + " events/s (" + saturationSource + ").",
                "Latency = System.nanoTime() when poll() of a read_committed consumer of the commands topic returned"
                        + " the stream's Commit, minus System.nanoTime() right before the End was handed to the"
                        + " producer (linger 5 ms included); same JVM, HdrHistogram.",
                "Exactly-once with the default commit interval (" + commitIntervalMs + " ms): a commit becomes"
                        + " visible only when the transaction that wrote it commits.");
    }
}
