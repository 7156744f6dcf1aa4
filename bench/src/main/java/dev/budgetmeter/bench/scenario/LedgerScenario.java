package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.env.DecisionProgress;
import dev.budgetmeter.bench.env.LedgerBudgets;
import dev.budgetmeter.bench.env.LedgerUnderTest;
import dev.budgetmeter.bench.env.LiveEnvironment;
import dev.budgetmeter.bench.env.BaselineUnderTest;
import dev.budgetmeter.bench.load.StreamShape;
import dev.budgetmeter.bench.load.StreamTraffic;
import dev.budgetmeter.bench.load.TenantTemplates;
import dev.budgetmeter.bench.report.Progress;
import dev.budgetmeter.bench.report.ScenarioResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 4: the budget ledger ({@code metering.authority=LEDGER}). At Kafka Streams' exactly-once commit interval
 * and at a shorter one, each on a fresh application with its own topics: the saturation in decisions per second for
 * one hot tenant and for many tenants (each with a budget set beforehand), and the decision latency a worker sees at
 * fractions of each saturation, beside the pass-through baseline of this run.
 *
 * <p>A decision's load is a Reserve and its End, so that every hold is settled in the same step (nothing piles up
 * for a later step's timeouts, no budget runs out) and the figure is what one reservation costs the ledger from
 * hold to release. No usage is reported: the End commits nothing, and the budgets stay where they were set.
 */
public final class LedgerScenario {

    private static final String SCOPE = "ledger";
    /** Each budget's allocation: a billion estimates, so no load here can exhaust it. */
    private static final long ALLOCATED = 1_000_000_000L * 1_000_000L;

    private final LiveEnvironment env;
    private final Profile.Ledger settings;
    private final SaturationSearch search;
    private final SaturationSearch baselineSearch;
    private final Progress progress;

    /** Searches the ledger with the profile's ledger steps and the pass-through with its throughput steps. */
    public LedgerScenario(final LiveEnvironment env, final Profile profile, final Progress progress,
                          final Clock clock) {
        this.env = env;
        this.settings = profile.ledger();
        this.search = new SaturationSearch(SCOPE, env, settings.search(), progress, clock);
        this.baselineSearch = new SaturationSearch(SCOPE, env, profile.throughput(), progress, clock);
        this.progress = progress;
    }

    /** @param throughput this run's throughput result, whose baseline is reused when it ran; else null */
    public LedgerResult run(final ScenarioResult throughput) {
        final LedgerResult.Baseline baseline = baseline(throughput);
        final List<TenantMix> mixes = List.of(TenantMix.hot(), TenantMix.spread(settings.tenants()));
        final List<LedgerResult.AtCommitInterval> runs = new ArrayList<>();
        // null: Kafka Streams' default for exactly-once, as a deployment gets it.
        runs.add(atCommitInterval(null, mixes, baseline));
        if (settings.shortCommitInterval() != null) {
            runs.add(atCommitInterval(settings.shortCommitInterval(), mixes, baseline));
        }
        return new LedgerResult(LiveEnvironment.PARTITIONS, settings.search().concurrentStreams(), baseline, runs);
    }

    /**
     * The pass-through baseline: the throughput scenario's when it ran, else the same search of the pass-through
     * (its throughput steps, in records/s) on the ledger's Reserves and Ends.
     */
    private LedgerResult.Baseline baseline(final ScenarioResult throughput) {
        if (throughput instanceof ThroughputResult measured) {
            return LedgerResult.Baseline.of(measured.baseline(), "the throughput scenario of this run (streams of "
                    + measured.eventsPerStream() + " events)");
        }
        try (BaselineUnderTest passThrough = env.startBaseline()) {
            final SaturationSearch.Outcome outcome = baselineSearch.run(passThrough,
                    env.templates(StreamShape.reserveAndEnd(TenantMix.hot().tenants().get(0))), null);
            return LedgerResult.Baseline.of(outcome, "a search of the pass-through in this run, on the same Reserves"
                    + " and Ends");
        }
    }

    private LedgerResult.AtCommitInterval atCommitInterval(final Duration interval, final List<TenantMix> mixes,
                                                           final LedgerResult.Baseline baseline) {
        final String role = "ledger-" + (interval == null ? "default" : interval.toMillis() + "ms");
        try (LedgerUnderTest ledger = env.startLedger(role, interval)) {
            final List<String> tenants = mixes.stream().flatMap(mix -> mix.tenants().stream()).toList();
            progress.update(SCOPE, role + ": setting " + tenants.size() + " budgets");
            LedgerBudgets.set(ledger, role, tenants, ALLOCATED);
            progress.done(SCOPE, role + ": " + tenants.size() + " budgets set");
            final List<LedgerResult.MixRun> runs = new ArrayList<>();
            for (final TenantMix mix : mixes) {
                runs.add(mixRun(ledger, mix, baseline));
            }
            return new LedgerResult.AtCommitInterval(ledger.app().commitInterval().toMillis(), interval == null, runs,
                    ledger.decisions().refused(),
                    env.writesPer(role, ledger.app(), ledger.decisions().decisions()));
        }
    }

    private LedgerResult.MixRun mixRun(final LedgerUnderTest ledger, final TenantMix mix,
                                       final LedgerResult.Baseline baseline) {
        final TenantTemplates templates = TenantTemplates.of(mix.tenants(),
                tenant -> env.templates(StreamShape.reserveAndEnd(tenant), ledger.topics()));
        final StreamTraffic traffic = search.traffic(templates, ledger.app().inputTopic());
        final DecisionProgress decided = new DecisionProgress(env.progressOf(ledger.app()), traffic::streamsStarted,
                ledger.decisions()::decisions);
        final Workload workload = new Workload(ledger.app().label() + ", " + mix.label(), ledger.app(), traffic,
                templates.eventsPerStream(), decided, null);
        final SaturationSearch.Outcome outcome = search.run(workload);
        search.awaitDrained(workload);
        final DecisionLatency latency = new DecisionLatency(ledger, settings.latency(), progress);
        final List<LatencyResult.AtLoad> loads = new ArrayList<>();
        for (final double fraction : settings.latency().fractions()) {
            loads.add(latency.measure(mix.label(), fraction, fraction * outcome.saturationRate(), templates::tenantOf));
        }
        return LedgerResult.MixRun.of(mix.label(), mix.tenants().size(), outcome, baseline, loads);
    }
}
