package dev.budgetmeter.cli.demo;

import dev.budgetmeter.cli.audit.Expectations;
import dev.budgetmeter.cli.budgets.BudgetClient;
import dev.budgetmeter.cli.audit.LedgerReader;
import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.cli.audit.Verdict;
import dev.budgetmeter.cli.fleet.FleetListener;
import dev.budgetmeter.cli.fleet.FleetPlanner;
import dev.budgetmeter.cli.fleet.FleetResult;
import dev.budgetmeter.cli.fleet.FleetSettings;
import dev.budgetmeter.cli.fleet.StreamPlan;
import dev.budgetmeter.cli.fleet.WorkerFleet;
import dev.budgetmeter.producer.BudgetMeter;
import dev.budgetmeter.producer.DecisionMode;
import dev.budgetmeter.producer.MeterMetrics;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.topics.CommandWatcher;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * One run of a simulated worker fleet against a running topology, judged by the oracle: the part the demo and
 * {@code simulate} share. Streams every planned call through the producer library, waits until every opened
 * reservation has its terminal command (abandoned ones need the idle timeout), then reads the commands and audit
 * topics to their end and checks them against what the workers priced.
 */
public final class FleetRun {

    /**
     * Where the pipeline runs, and who decides its reservations.
     *
     * @param bootstrapServers  Kafka
     * @param schemaRegistryUrl the schema registry
     * @param topics            the deployment's topics
     * @param decisions         how the workers get decisions: {@link DecisionMode#EXTERNAL}, or
     *                          {@link DecisionMode#WAIT} with the budget ledger
     * @param setsBudgets       with the ledger: whether the run sets its budgets itself ({@link DemoBudgets}),
     *                          and so may hold every budget's charges to what its workers priced
     */
    public record Target(Map<String, Object> connection, String schemaRegistryUrl, TopicRegistry topics,
                         DecisionMode decisions, boolean setsBudgets) {

        public Target {
            connection = Map.copyOf(connection);
            if (!connection.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalArgumentException("the connection has no bootstrap.servers");
            }
        }

        /** A cluster without security. */
        public Target(final String bootstrapServers, final String schemaRegistryUrl, final TopicRegistry topics,
                      final DecisionMode decisions, final boolean setsBudgets) {
            this(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), schemaRegistryUrl, topics,
                    decisions, setsBudgets);
        }

        public String bootstrapServers() {
            return String.valueOf(connection.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        }

        /** Whether the budget ledger decides. */
        boolean ledger() {
            return decisions != DecisionMode.EXTERNAL;
        }
    }

    /**
     * What a run did and how it was judged.
     *
     * @param runId          the run's id: its reservations are {@code <runId>-1} to {@code <runId>-<streams>}
     * @param fleet          the workers' side
     * @param meterMetrics   the producer library's counters at the end
     * @param totals         the output topics' numbers for this run's reservations
     * @param verdict        the oracle's verdict over the whole topics, with this run's expectations
     * @param latency        End sent -> terminal command visible
     * @param settledInTime  whether every opened reservation was settled within the settle timeout
     * @param firstFailure   the first exception a worker met, or null
     * @param balances       with the budget ledger, the latest balance of every budget after the run
     */
    public record Outcome(String runId, FleetResult fleet, MeterMetrics meterMetrics, RunTotals totals, Verdict verdict,
                          LatencyRecorder latency, boolean settledInTime, String firstFailure,
                          List<Balance> balances) {
    }

    private FleetRun() {
    }

    /** Runs the fleet and judges it; see the class comment. */
    public static Outcome execute(final Target target, final FleetSettings settings, final Duration settleTimeout,
                                  final ProgressDisplay progress, final LongSupplier nanoClock)
            throws InterruptedException {
        final String runId = "run-" + UUID.randomUUID().toString().substring(0, 8);
        final List<StreamPlan> plans = FleetPlanner.plan(settings, runId);
        final LedgerReader reader = new LedgerReader(target.connection(), target.topics(), Duration.ofSeconds(60));
        if (target.setsBudgets()) {
            progress.phase("setting the budgets");
            DemoBudgets.apply(new BudgetClient(target.bootstrapServers(), target.topics(), Duration.ofSeconds(60)),
                    DemoBudgets.plan(runId, plans, FleetPlanner.PRICING, settings.tokens(), Instant.now()));
        }
        final Map<String, Balance> budgetsBefore = target.setsBudgets() ? reader.latestBalances() : Map.of();
        final Map<String, Long> endSent = new ConcurrentHashMap<>();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        final FleetListener listener = new FleetListener() {
            @Override
            public void endSent(final StreamPlan plan, final long nanoTime) {
                endSent.put(plan.reservationId(), nanoTime);
            }

            @Override
            public void failed(final StreamPlan plan, final RuntimeException cause) {
                firstFailure.compareAndSet(null, plan.reservationId() + ": " + cause);
            }
        };
        final FleetResult result;
        final boolean settled;
        final MeterMetrics meterMetrics;
        final SettledStreams settlements = new SettledStreams(endSent, nanoClock);
        try (CommandWatcher watcher = CommandWatcher.start(target.connection(),
                target.topics().topic(Topics.COMMANDS), CommandWatcher.From.END, settlements)) {
            final BudgetMeter.Builder builder = BudgetMeter.builder().bootstrapServers(target.bootstrapServers())
                    .schemaRegistryUrl(target.schemaRegistryUrl()).topicPrefix(target.topics().prefix())
                    .workerId("budget-meter-fleet-" + runId).decisions(target.decisions());
            // Security settings (SASL, TLS) go to the meter's producer and its decision reader.
            target.connection().forEach((name, value) -> {
                if (!name.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
                    builder.producerProperty(name, value);
                }
            });
            final BudgetMeter meter = builder.build();
            try {
                final WorkerFleet fleet = new WorkerFleet(meter, settings, listener, nanoClock);
                progress.phase("streaming", () -> status(fleet, plans.size(), meter, watcher));
                result = fleet.run(plans);
                meter.flush();
                progress.phase("settling (abandoned streams: idle timeout)",
                        () -> status(fleet, plans.size(), meter, watcher));
                settled = watcher.awaitUntil(() -> settlements.allSettled(result.opened().keySet()), settleTimeout);
                meterMetrics = meter.metrics();
            } finally {
                // Ends the abandoned streams (their End now arrives after settlement: audited as late events).
                meter.close(Duration.ofSeconds(10));
            }
            progress.phase("verifying the commands and audit topics");
            final LedgerSnapshot snapshot = reader.readAll();
            final Expectations charges = Expectations.charges(result.expectedCharges());
            final Verdict verdict = snapshot.verify(target.setsBudgets()
                    ? charges.withBudgetCharges(afterRun(budgetsBefore, result.expectedBudgetCharges())) : charges);
            final RunTotals totals = RunTotals.of(snapshot, id -> id.startsWith(runId + "-"));
            return new Outcome(runId, result, meterMetrics, totals, verdict, settlements.latency(), settled,
                    firstFailure.get(), target.ledger() ? snapshot.balances() : List.of());
        }
    }

    /** What each budget's spent plus debt must be after the run: what it was, plus what the run's workers priced. */
    private static Map<String, Long> afterRun(final Map<String, Balance> before, final Map<String, Long> priced) {
        final Map<String, Long> after = new TreeMap<>();
        priced.forEach((key, amount) -> {
            final Balance was = before.get(key);
            after.put(key, amount + (was == null ? 0 : was.getSpent() + was.getDebt()));
        });
        return after;
    }

    private static String status(final WorkerFleet fleet, final int planned, final BudgetMeter meter,
                                 final CommandWatcher watcher) {
        final CommandWatcher.Counts counts = watcher.counts();
        final MeterMetrics metrics = meter.metrics();
        return String.format(Locale.ROOT,
                "streams %,d/%,d, %,d open | events %,d | commits %,d releases %,d extends %,d debits %,d",
                fleet.finished(), planned, metrics.streamsOpen(), metrics.eventsSent(), counts.commits(),
                counts.releases(), counts.extend(), counts.debits());
    }
}
