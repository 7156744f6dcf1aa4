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
 * Throughput and CPU per event of the metering topology and of two baselines under the same rising load, their
 * ratios, and all three at one rate they all sustain. Immutable.
 *
 * @param partitions         partitions of every topic
 * @param eventsPerStream    events of one simulated stream (reserve, K chunks, usage, end)
 * @param meanRecordBytes    mean serialized value size of those events
 * @param concurrentStreams  streams interleaved at once
 * @param baseline           the pass-through baseline's search
 * @param floor              the stateful floor's search (one store get and put per event), or null when not run
 * @param metering           the metering topology's search
 * @param ratio              metering saturation / pass-through saturation
 * @param common             the three at one rate they all sustain, or null when not run
 * @param writesPerInput     records each application (by role) wrote per input record, by topic (without prefix):
 *                           outputs and changelogs
 */
public record ThroughputResult(int partitions, int eventsPerStream, double meanRecordBytes, int concurrentStreams,
                               SaturationSearch.Outcome baseline, SaturationSearch.Outcome floor,
                               SaturationSearch.Outcome metering, double ratio, CommonRate common,
                               Map<String, Map<String, Double>> writesPerInput)
        implements ScenarioResult {

    public ThroughputResult {
        writesPerInput = Map.copyOf(writesPerInput);
    }

    /**
     * One step of each application at the same offered rate, below every saturation. Immutable.
     *
     * @param rate        events/s offered to each
     * @param passThrough the pass-through's step
     * @param floor       the stateful floor's step
     * @param metering    the metering topology's step
     */
    public record CommonRate(double rate, LoadStep passThrough, LoadStep floor, LoadStep metering) {
    }

    /** The share of the lowest saturation at which all three applications are measured at one rate. */
    public static final double COMMON_SHARE = 0.5;

    /** The goal of issue 15 for metering / pass-through in CPU per event. */
    public static final double CPU_PASS_THROUGH_GOAL = 0.35;
    /** The goal of issue 15 for metering / stateful floor in CPU per event. */
    public static final double CPU_FLOOR_GOAL = 0.7;

    /** The goal for {@link #ratio}. */
    public static final double RATIO_GOAL = 0.6;
    /** A rate ratio this many times above or below the CPU ratio means the machine's load changed between searches. */
    private static final double DISAGREEMENT = 1.5;

    @Override
    public List<Goal> goals() {
        final String value = Formats.fixed(ratio, 2) + " (" + Formats.whole(metering.saturationRate()) + " / "
                + Formats.whole(baseline.saturationRate()) + " events/s" + cpuComparison() + ")";
        final List<Goal> goals = new ArrayList<>();
        goals.add(new Goal("throughput", "metering / pass-through saturation throughput", ">= 0.6", value,
                verdict(), verdictNote()));
        goals.add(cpuGoal("pass-through", baseline, CPU_PASS_THROUGH_GOAL,
                common == null ? null : common.passThrough()));
        if (floor != null) {
            goals.add(cpuGoal("stateful floor", floor, CPU_FLOOR_GOAL, common == null ? null : common.floor()));
        }
        return goals;
    }

    /**
     * Metering / a baseline in CPU per event at each one's saturation (the verdict), the rates beside it, and the
     * same at the common rate.
     */
    private Goal cpuGoal(final String name, final SaturationSearch.Outcome other, final double goal,
                         final LoadStep atCommon) {
        final Double cpuRatio = ratio(other.cpuMicrosPerEvent(), metering.cpuMicrosPerEvent());
        final String atSaturation = cpuRatio == null ? "unmeasured" : Formats.fixed(cpuRatio, 2) + " ("
                + Formats.fixed(other.cpuMicrosPerEvent(), 2) + " / " + Formats.fixed(metering.cpuMicrosPerEvent(), 2)
                + " µs per event at saturation; rates " + Formats.whole(metering.saturationRate()) + " / "
                + Formats.whole(other.saturationRate()) + " events/s = "
                + Formats.fixed(metering.saturationRate() / other.saturationRate(), 2) + ")";
        final Double commonRatio = atCommon == null ? null
                : ratio(atCommon.cpuMicrosPerEvent(), common.metering().cpuMicrosPerEvent());
        final String atRate = commonRatio == null ? "" : "; at " + Formats.whole(common.rate()) + " events/s "
                + Formats.fixed(commonRatio, 2) + " (" + Formats.fixed(atCommon.cpuMicrosPerEvent(), 2) + " / "
                + Formats.fixed(common.metering().cpuMicrosPerEvent(), 2) + " µs)";
        return new Goal("throughput", "metering / " + name + " in CPU per event", ">= " + goal,
                atSaturation + atRate, cpuRatio == null ? null : cpuRatio >= goal,
                cpuRatio == null ? "the JVM measured no thread CPU time" : "");
    }

    /** {@code baseline / measured}, or null when either is unmeasured. */
    private static Double ratio(final Double baselineCpu, final Double meteringCpu) {
        return baselineCpu == null || meteringCpu == null ? null : baselineCpu / meteringCpu;
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
        final List<List<String>> summary = new ArrayList<>();
        summary.add(List.of("pass-through baseline", Formats.whole(baseline.saturationRate()), "n/a",
                Formats.fixedOrNa(baseline.cpuMicrosPerEvent(), 2), Formats.yesNo(baseline.saturated())));
        if (floor != null) {
            summary.add(List.of("stateful floor (one get + put per event)", Formats.whole(floor.saturationRate()),
                    "n/a", Formats.fixedOrNa(floor.cpuMicrosPerEvent(), 2), Formats.yesNo(floor.saturated())));
        }
        summary.add(List.of("metering topology", Formats.whole(metering.saturationRate()),
                Formats.fixedOrNa(metering.settledRate(), 0), Formats.fixedOrNa(metering.cpuMicrosPerEvent(), 2),
                Formats.yesNo(metering.saturated())));
        final List<List<String>> steps = new ArrayList<>();
        addSteps(steps, "pass-through", baseline);
        if (floor != null) {
            addSteps(steps, "stateful floor", floor);
        }
        addSteps(steps, "metering", metering);
        final List<Table> tables = new ArrayList<>();
        tables.add(new Table("Saturation throughput (metering / pass-through " + Formats.fixed(ratio, 2) + ")",
                List.of("application", "sustained events/s", "streams settled/s", "CPU µs per event", "saturated"),
                summary));
        if (common != null) {
            tables.add(commonTable());
        }
        tables.add(writesTable());
        tables.add(new Table("Rising load steps",
                List.of("application", "offered events/s", "produced events/s", "processed events/s",
                        "streams settled/s", "lag at end", "CPU µs per event", "saturated"), steps));
        return tables;
    }

    /** The three at one offered rate: CPU per event with the same fixed costs per commit and poll. */
    private Table commonTable() {
        final List<List<String>> rows = new ArrayList<>();
        final Double meteringCpu = common.metering().cpuMicrosPerEvent();
        for (final Map.Entry<String, LoadStep> entry : List.of(Map.entry("pass-through", common.passThrough()),
                Map.entry("stateful floor", common.floor()), Map.entry("metering", common.metering()))) {
            final LoadStep step = entry.getValue();
            final Double cpuRatio = ratio(step.cpuMicrosPerEvent(), meteringCpu);
            rows.add(List.of(entry.getKey(), Formats.whole(step.processedRate()),
                    Formats.fixedOrNa(step.cpuMicrosPerEvent(), 2), Formats.fixedOrNa(cpuRatio, 2),
                    Formats.yesNo(step.saturated())));
        }
        return new Table("At one rate all three sustain (" + Formats.whole(common.rate()) + " events/s offered)",
                List.of("application", "processed events/s", "CPU µs per event", "its CPU / metering's",
                        "saturated"), rows);
    }

    /** What each application writes per record it reads: the work behind the ratio. */
    private Table writesTable() {
        final List<List<String>> rows = new ArrayList<>();
        new TreeMap<>(writesPerInput).forEach((role, writes) -> {
            new TreeMap<>(writes).forEach((topic, perInput) ->
                    rows.add(List.of(role, topic, Formats.fixed(perInput, 3))));
            rows.add(List.of(role, "total", Formats.fixed(total(writes), 3)));
        });
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
                "All three applications: exactly_once_v2 with the default commit interval, one stream thread, "
                        + partitions + " partitions, the same records; the pass-through copies input bytes to its"
                        + " output, the stateful floor does the same plus one get and one put of an 8-byte count"
                        + " per record (RocksDB store with the Streams cache and a changelog; the metering"
                        + " topology's lifecycle stores hold a commit interval's writes in a write-behind store of"
                        + " their own instead of the Streams cache); searched in that order, then the metering topology, then each at"
                        + " one rate (" + Formats.whole(COMMON_SHARE * 100) + "% of the lowest"
                        + " saturation) that all three sustain. The baselines stay running, idle, while the others"
                        + " are measured.",
                "CPU ratios are baseline CPU per event / metering CPU per event (1 would mean metering costs"
                        + " what the baseline costs).",
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
