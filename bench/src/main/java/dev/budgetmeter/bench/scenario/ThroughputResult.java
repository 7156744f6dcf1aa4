package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Goal;
import dev.budgetmeter.bench.report.ScenarioResult;
import dev.budgetmeter.bench.report.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Throughput of the metering topology and of the pass-through baseline under the same rising load, and their ratio.
 * Immutable.
 *
 * @param partitions         partitions of every topic
 * @param eventsPerStream    events of one simulated stream (reserve, K chunks, usage, end)
 * @param meanRecordBytes    mean serialized value size of those events
 * @param concurrentStreams  streams interleaved at once
 * @param baseline           the baseline's search
 * @param metering           the metering topology's search
 * @param ratio              metering saturation / baseline saturation
 * @param baselineWritesPerInput records the baseline wrote per input record, by topic (without prefix)
 * @param meteringWritesPerInput records the metering topology wrote per input record, by topic: outputs and
 *                               changelogs
 */
public record ThroughputResult(int partitions, int eventsPerStream, double meanRecordBytes, int concurrentStreams,
                               SaturationSearch.Outcome baseline, SaturationSearch.Outcome metering, double ratio,
                               Map<String, Double> baselineWritesPerInput, Map<String, Double> meteringWritesPerInput)
        implements ScenarioResult {

    public ThroughputResult {
        baselineWritesPerInput = Map.copyOf(baselineWritesPerInput);
        meteringWritesPerInput = Map.copyOf(meteringWritesPerInput);
    }

    /** The goal for {@link #ratio}. */
    public static final double RATIO_GOAL = 0.6;
    /** A rate ratio this many times above or below the CPU ratio means the machine's load changed between searches. */
    private static final double DISAGREEMENT = 1.5;

    @Override
    public List<Goal> goals() {
        final String value = Formats.fixed(ratio, 2) + " (" + Formats.whole(metering.saturationRate()) + " / "
                + Formats.whole(baseline.saturationRate()) + " events/s" + cpuComparison() + ")";
        return List.of(new Goal("throughput", "metering / pass-through saturation throughput", ">= 0.6", value,
                verdict(), verdictNote()));
    }

    /** The same comparison in CPU per event, which the machine's other load hardly moves; empty if unmeasured. */
    private String cpuComparison() {
        if (cpuRatio() == null) {
            return "";
        }
        return "; CPU per event " + Formats.fixed(baseline.cpuMicrosPerEvent(), 2) + " / "
                + Formats.fixed(metering.cpuMicrosPerEvent(), 2) + " µs = " + Formats.fixed(cpuRatio(), 2);
    }

    /** Whether the rate ratio and the CPU ratio disagree so much that the machine's load must have changed. */
    private boolean loadChangedBetweenSearches() {
        final Double cpuRatio = cpuRatio();
        return cpuRatio != null && (ratio > DISAGREEMENT * cpuRatio || cpuRatio > DISAGREEMENT * ratio);
    }

    /** Baseline CPU per event over metering CPU per event, or null when either is unmeasured. */
    private Double cpuRatio() {
        if (baseline.cpuMicrosPerEvent() == null || metering.cpuMicrosPerEvent() == null) {
            return null;
        }
        return baseline.cpuMicrosPerEvent() / metering.cpuMicrosPerEvent();
    }

    /**
     * Met or not, or null when the run cannot tell: an unsaturated side makes the ratio a bound on the wrong side (an
     * unsaturated baseline only bounds the ratio from above, an unsaturated metering run only from below), or the
     * CPU ratio shows that other processes loaded the machine differently during the two searches.
     */
    private Boolean verdict() {
        if (loadChangedBetweenSearches()) {
            return null;
        }
        final boolean atLeast = ratio >= RATIO_GOAL;
        if (baseline.saturated() && metering.saturated()) {
            return atLeast;
        }
        if (!baseline.saturated() && metering.saturated()) {
            return atLeast ? null : Boolean.FALSE;
        }
        if (baseline.saturated()) {
            return atLeast ? Boolean.TRUE : null;
        }
        return null;
    }

    private String verdictNote() {
        final List<String> notes = new ArrayList<>();
        if (!baseline.saturated()) {
            notes.add("baseline never saturated: its figure is a lower bound");
        }
        if (!metering.saturated()) {
            notes.add("metering never saturated: its figure is a lower bound");
        }
        if (loadChangedBetweenSearches()) {
            notes.add("the CPU ratio (" + Formats.fixed(cpuRatio(), 2) + ") disagrees: the two searches ran under"
                    + " different load from other processes, so this run's rate ratio decides nothing");
        }
        return String.join("; ", notes);
    }

    @Override
    public List<Table> tables() {
        final List<List<String>> summary = List.of(
                List.of("pass-through baseline", Formats.whole(baseline.saturationRate()), "n/a",
                        Formats.fixedOrNa(baseline.cpuMicrosPerEvent(), 2), Formats.yesNo(baseline.saturated())),
                List.of("metering topology", Formats.whole(metering.saturationRate()),
                        Formats.fixedOrNa(metering.settledRate(), 0), Formats.fixedOrNa(metering.cpuMicrosPerEvent(), 2),
                        Formats.yesNo(metering.saturated())));
        final List<List<String>> steps = new ArrayList<>();
        addSteps(steps, "baseline", baseline);
        addSteps(steps, "metering", metering);
        return List.of(
                new Table("Saturation throughput (ratio " + Formats.fixed(ratio, 2) + ")",
                        List.of("application", "sustained events/s", "streams settled/s", "CPU µs per event",
                                "saturated"), summary),
                writesTable(),
                new Table("Rising load steps",
                        List.of("application", "offered events/s", "produced events/s", "processed events/s",
                                "streams settled/s", "lag at end", "CPU µs per event", "saturated"), steps));
    }

    /** What each application writes per record it reads: the work behind the ratio. */
    private Table writesTable() {
        final List<List<String>> rows = new ArrayList<>();
        new TreeMap<>(baselineWritesPerInput).forEach((topic, perInput) ->
                rows.add(List.of("baseline", topic, Formats.fixed(perInput, 3))));
        new TreeMap<>(meteringWritesPerInput).forEach((topic, perInput) ->
                rows.add(List.of("metering", topic, Formats.fixed(perInput, 3))));
        rows.add(List.of("baseline", "total", Formats.fixed(total(baselineWritesPerInput), 3)));
        rows.add(List.of("metering", "total", Formats.fixed(total(meteringWritesPerInput), 3)));
        return new Table("Records written per input record processed (whole scenario)",
                List.of("application", "topic", "records per input record"), rows);
    }

    private static double total(final Map<String, Double> writes) {
        return writes.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static void addSteps(final List<List<String>> rows, final String label,
                                 final SaturationSearch.Outcome outcome) {
        for (final LoadStep step : outcome.steps()) {
            rows.add(List.of(label, Formats.whole(step.offeredRate()), Formats.whole(step.producedRate()),
                    Formats.whole(step.processedRate()), Formats.fixedOrNa(step.settledRate(), 0),
                    Long.toString(step.lagAtEnd()), Formats.fixedOrNa(step.cpuMicrosPerEvent(), 2),
                    Formats.yesNo(step.saturated())));
        }
    }

    @Override
    public List<String> notes() {
        return List.of(
                "Load: simulated streams of " + eventsPerStream + " events (reserve, " + (eventsPerStream - 3)
                        + " chunks, usage, end), " + concurrentStreams + " interleaved at once, mean record "
                        + Formats.whole(meanRecordBytes) + " bytes; pre-serialized records stamped per stream, sent"
                        + " by one plain KafkaProducer (acks=all, idempotent, lz4, linger 5 ms, 64 KiB batches).",
                "Both applications: exactly_once_v2 with the default commit interval, one stream thread, "
                        + partitions + " partitions, the same records; the baseline copies input bytes to its"
                        + " output, measured first, then the metering topology.",
                "Processed = input offsets committed by the application's consumer group (under exactly-once, its"
                        + " outputs are visible then), as a least-squares slope after each step's warm-up. A step"
                        + " saturates when processed < " + LoadStep.KEEP_UP_SHARE + " x produced; saturation"
                        + " throughput = the highest sustained rate of any step (processed in a saturated step,"
                        + " else min(processed, produced): catching up a backlog is not a sustained rate).",
                "Records written per input record: end offsets of every topic of the application (outputs,"
                        + " changelogs; exactly-once transaction markers included) over the input records it"
                        + " processed (committed).",
                "CPU µs per event: CPU time of the application's threads (stream thread, its producer and consumer"
                        + " threads) over the input records it processed, in the same window as the rate. Unlike the"
                        + " rates it hardly moves when other processes load the machine: it is the cost of the"
                        + " application's own work per record.",
                "Streams settled/s: Commit and Release commands read with read_committed in the step of the"
                        + " highest sustained rate. A run whose baseline never saturates (the one load generator"
                        + " on the same cores is the limit) only bounds the ratio from above.");
    }
}
