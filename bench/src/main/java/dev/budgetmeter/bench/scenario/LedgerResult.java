package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.Goal;
import dev.budgetmeter.bench.report.ScenarioResult;
import dev.budgetmeter.bench.report.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The budget ledger's decisions per second and decision latency, per commit interval and tenant mix, beside the
 * pass-through baseline of the same run. Immutable.
 *
 * @param partitions        partitions of every topic
 * @param concurrentStreams streams interleaved at once in the saturation search
 * @param baseline   the pass-through's saturation, in input records/s
 * @param runs       one per commit interval, Kafka Streams' exactly-once default first
 */
public record LedgerResult(int partitions, int concurrentStreams, Baseline baseline, List<AtCommitInterval> runs)
        implements ScenarioResult {

    /** The goal for the 99th percentile of Reserve sent -> decision read, in milliseconds. */
    public static final double P99_GOAL_MS = 150;

    public LedgerResult {
        runs = List.copyOf(runs);
    }

    /**
     * @param rate               the pass-through's saturation throughput, input records/s
     * @param saturated          whether its search saturated; if not, the rate is a lower bound
     * @param cpuMicrosPerRecord its CPU per input record at that rate, or null when unmeasured
     * @param source             where the figure comes from
     */
    public record Baseline(double rate, boolean saturated, Double cpuMicrosPerRecord, String source) {

        /** From a pass-through search. */
        static Baseline of(final SaturationSearch.Outcome search, final String source) {
            return new Baseline(search.saturationRate(), search.saturated(), search.cpuMicrosPerEvent(), source);
        }
    }

    /**
     * One application at one commit interval.
     *
     * @param commitIntervalMs  its {@code commit.interval.ms}
     * @param streamsDefault    whether that is Kafka Streams' default (not set)
     * @param mixes             one per tenant mix, in order
     * @param refusedDecisions  decisions that refused a Reserve (0 unless a budget was missing or ran out)
     * @param writesPerDecision records the application wrote per decision, by topic (changelogs included)
     */
    public record AtCommitInterval(long commitIntervalMs, boolean streamsDefault, List<MixRun> mixes,
                                   long refusedDecisions, Map<String, Double> writesPerDecision) {

        public AtCommitInterval {
            mixes = List.copyOf(mixes);
            writesPerDecision = Map.copyOf(writesPerDecision);
        }

        /** E.g. {@code 100 ms (default)}. */
        public String label() {
            return commitIntervalMs + " ms" + (streamsDefault ? " (default)" : "");
        }
    }

    /**
     * One tenant mix on one application.
     *
     * @param mix             e.g. {@code one hot tenant}
     * @param tenants         how many tenants
     * @param search          the saturation search, in decisions/s
     * @param ratioToBaseline decisions/s over the pass-through's records/s
     * @param cpuRatio        the pass-through's CPU per record over the ledger's CPU per decision, the same
     *                        comparison in CPU, which other processes' load hardly moves; null when unmeasured
     * @param latency         Reserve sent -> decision read, at fractions of {@code search}'s saturation
     */
    public record MixRun(String mix, int tenants, SaturationSearch.Outcome search, double ratioToBaseline,
                         Double cpuRatio, List<LatencyResult.AtLoad> latency) {

        public MixRun {
            latency = List.copyOf(latency);
        }

        /** A mix's figures beside {@code baseline}. */
        static MixRun of(final String mix, final int tenants, final SaturationSearch.Outcome search,
                         final Baseline baseline, final List<LatencyResult.AtLoad> latency) {
            final Double cpuRatio = baseline.cpuMicrosPerRecord() == null || search.cpuMicrosPerEvent() == null
                    ? null : baseline.cpuMicrosPerRecord() / search.cpuMicrosPerEvent();
            return new MixRun(mix, tenants, search, search.saturationRate() / baseline.rate(), cpuRatio, latency);
        }
    }

    @Override
    public List<Goal> goals() {
        final List<Goal> goals = new ArrayList<>();
        for (final AtCommitInterval run : runs) {
            for (final MixRun mix : run.mixes()) {
                for (final LatencyResult.AtLoad load : mix.latency()) {
                    goals.add(new Goal("ledger", "p99 Reserve sent -> decision read at "
                            + Formats.whole(load.fraction() * 100) + "% of saturation, commit " + run.label() + ", "
                            + mix.mix(), "<= 150 ms", "p50 " + Formats.fixed(load.latency().p50(), 0) + ", p99 "
                            + Formats.fixed(load.latency().p99(), 0) + " ms", met(load), note(run, load)));
                }
            }
        }
        return goals;
    }

    private static boolean met(final LatencyResult.AtLoad load) {
        return load.missing() == 0 && load.latency().count() > 0 && load.latency().p99() <= P99_GOAL_MS;
    }

    private static String note(final AtCommitInterval run, final LatencyResult.AtLoad load) {
        final List<String> notes = new ArrayList<>();
        if (load.latency().count() == 0) {
            notes.add("no decision measured");
        }
        if (load.missing() > 0) {
            notes.add(load.missing() + " decisions not read");
        }
        if (run.refusedDecisions() > 0) {
            notes.add(run.refusedDecisions() + " Reserves refused");
        }
        return String.join("; ", notes);
    }

    @Override
    public List<Table> tables() {
        return List.of(saturationTable(), latencyTable(), costTable(), stepsTable(), writesTable());
    }

    private Table saturationTable() {
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("pass-through baseline", "n/a", Formats.whole(baseline.rate()) + " records/s", "1.000",
                Formats.fixedOrNa(baseline.cpuMicrosPerRecord(), 2) + " per record", "1.000",
                Formats.yesNo(baseline.saturated())));
        for (final AtCommitInterval run : runs) {
            for (final MixRun mix : run.mixes()) {
                rows.add(List.of("ledger, commit " + run.label(), mix.mix(),
                        Formats.whole(mix.search().saturationRate()), Formats.fixed(mix.ratioToBaseline(), 3),
                        Formats.fixedOrNa(mix.search().cpuMicrosPerEvent(), 1),
                        Formats.fixedOrNa(mix.cpuRatio(), 3), Formats.yesNo(mix.search().saturated())));
            }
        }
        return new Table("Decisions per second at saturation, beside the pass-through baseline",
                List.of("application", "load", "decisions/s", "ratio to pass-through records/s",
                        "CPU µs per decision", "CPU ratio", "saturated"), rows);
    }

    private Table latencyTable() {
        final List<List<String>> rows = new ArrayList<>();
        for (final AtCommitInterval run : runs) {
            for (final MixRun mix : run.mixes()) {
                for (final LatencyResult.AtLoad load : mix.latency()) {
                    rows.add(List.of(run.label(), mix.mix(), Formats.whole(load.fraction() * 100) + "%",
                            Formats.whole(load.offeredRate()), Formats.whole(load.producedRate()),
                            Long.toString(load.streams()), Long.toString(load.missing()),
                            Formats.fixed(load.latency().p50(), 1), Formats.fixed(load.latency().p90(), 1),
                            Formats.fixed(load.latency().p99(), 1), Formats.fixed(load.latency().max(), 1)));
                }
            }
        }
        return new Table("Reserve sent -> decision read by the worker (producer library, OPTIMISTIC), ms",
                List.of("commit interval", "load", "of saturation", "offered Reserves/s", "sent Reserves/s",
                        "decisions", "missing", "p50", "p90", "p99", "max"), rows);
    }

    /** Each later commit interval against the first (the default): what its latency costs in decisions/s. */
    private Table costTable() {
        final List<List<String>> rows = new ArrayList<>();
        final AtCommitInterval first = runs.get(0);
        for (final AtCommitInterval run : runs.subList(1, runs.size())) {
            for (int i = 0; i < run.mixes().size(); i++) {
                final MixRun before = first.mixes().get(i);
                final MixRun after = run.mixes().get(i);
                rows.add(List.of(after.mix(), first.label() + " -> " + run.label(),
                        Formats.whole(before.search().saturationRate()) + " -> "
                                + Formats.whole(after.search().saturationRate()),
                        Formats.fixed(after.search().saturationRate() / before.search().saturationRate(), 2),
                        p99s(before) + " -> " + p99s(after)));
            }
        }
        return new Table("What the shorter commit interval costs",
                List.of("load", "commit interval", "decisions/s", "ratio", "p99 ms"), rows);
    }

    private static String p99s(final MixRun mix) {
        return mix.latency().stream().map(load -> Formats.fixed(load.latency().p99(), 0))
                .collect(Collectors.joining("/"));
    }

    private Table stepsTable() {
        final List<List<String>> rows = new ArrayList<>();
        for (final AtCommitInterval run : runs) {
            for (final MixRun mix : run.mixes()) {
                for (final LoadStep step : mix.search().steps()) {
                    rows.add(List.of(run.label(), mix.mix(), Formats.whole(step.offeredRate()),
                            Formats.whole(step.producedRate()), Formats.whole(step.processedRate()),
                            Long.toString(step.lagAtEnd()), Formats.fixedOrNa(step.cpuMicrosPerEvent(), 1),
                            Formats.yesNo(step.saturated())));
                }
            }
        }
        return new Table("Rising load steps",
                List.of("commit interval", "load", "offered Reserves/s", "sent Reserves/s", "decisions read/s",
                        "lag at end", "CPU µs per decision", "saturated"), rows);
    }

    private Table writesTable() {
        final List<List<String>> rows = new ArrayList<>();
        for (final AtCommitInterval run : runs) {
            new TreeMap<>(run.writesPerDecision()).forEach((topic, perDecision) ->
                    rows.add(List.of(run.label(), topic, Formats.fixed(perDecision, 2))));
            rows.add(List.of(run.label(), "total", Formats.fixed(run.writesPerDecision().values().stream()
                    .mapToDouble(Double::doubleValue).sum(), 2)));
        }
        return new Table("Records written per decision (whole application run, both loads)",
                List.of("commit interval", "topic", "records per decision"), rows);
    }

    @Override
    public List<String> notes() {
        final List<String> notes = new ArrayList<>();
        notes.add("Goal: p99 <= " + Formats.whole(P99_GOAL_MS) + " ms " + verdictSummary() + ".");
        notes.add("Load per decision: a Reserve and its End (no chunks, no usage), " + concurrentStreams
                + " streams interleaved, pre-serialized and sent by one plain KafkaProducer. The End settles the"
                + " hold within the same step, so holds do not pile up into later steps' timeouts and no budget runs"
                + " out (nothing is charged): a decision here is what one reservation costs, hold and release.");
        notes.add("Metering with the budget ledger (metering.authority=LEDGER), exactly_once_v2, one stream thread, "
                + partitions + " partitions per topic, a fresh application and topics per commit interval. One hot"
                + " tenant: every Reserve is keyed to one tenant, so one ledger task and one budget decide them all."
                + " The spread load takes turns over its tenants. Every tenant's budget is set (and answered by the"
                + " ledger) before the load.");
        notes.add("Decisions/s = decisions read by a read_committed consumer of every partition of the decisions"
                + " topic, as a least-squares slope after each step's warm-up; a step saturates when decisions read <"
                + " " + LoadStep.KEEP_UP_SHARE + " x Reserves sent.");
        notes.add("Pass-through baseline: " + Formats.whole(baseline.rate()) + " records/s, from " + baseline.source()
                + ". The ratio divides decisions/s by records/s: each decision is 2 input records here, and the"
                + " ledger writes the records in the last table per decision. The CPU ratio is the same comparison"
                + " in CPU time of the applications' threads (pass-through per record / ledger per decision),"
                + " which the machine's other load hardly moves, unlike the rates.");
        notes.add("Latency: a BudgetMeter of the producer library (DecisionMode.OPTIMISTIC, its default producer:"
                + " linger 10 ms) opens reservations of the same load at the fraction of its saturation and ends"
                + " each at once; each is timed from right before open() to the completion of its decision() future"
                + " on the meter's decisions thread (read_committed, fetch.max.wait.ms 50).");
        notes.add("A decision crosses two exactly-once transactions: the lifecycle's (Reserve -> ledger request) and"
                + " the ledger's (request -> decision); each is visible only once its task commits, so the commit"
                + " interval counts twice in the latency.");
        final long refused = runs.stream().mapToLong(AtCommitInterval::refusedDecisions).sum();
        if (refused > 0) {
            notes.add(refused + " decisions refused their Reserve: the figures include refusals.");
        }
        return notes;
    }

    private String verdictSummary() {
        final List<String> met = new ArrayList<>();
        final List<String> notMet = new ArrayList<>();
        for (final AtCommitInterval run : runs) {
            final boolean all = run.mixes().stream().flatMap(mix -> mix.latency().stream())
                    .allMatch(LedgerResult::met);
            (all ? met : notMet).add("commit " + run.label());
        }
        return (met.isEmpty() ? "met at no commit interval measured" : "met at " + String.join(", ", met))
                + (notMet.isEmpty() ? "" : "; not met at " + String.join(", ", notMet));
    }
}
