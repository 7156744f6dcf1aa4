package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.audit.Expectations;
import dev.budgetmeter.cli.budgets.BudgetClient;
import dev.budgetmeter.cli.budgets.BudgetRequests;
import dev.budgetmeter.cli.topics.TopicToEnd;
import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.reliability.check.LedgerCheck;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.support.ChildApp;
import dev.budgetmeter.reliability.support.ChildApps;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.StreamEvents;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.schemas.DecisionKind;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.topics.Topics;
import dev.budgetmeter.topology.MeteringConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 10: the budget ledger under contention and a crash. 200 reservations of one tenant whose holds are all
 * open at once, against a budget that fits exactly 100 estimates; the application, in its own JVM, is killed with
 * SIGKILL as soon as its first decision is out, with most Reserves still undecided, and started again on the same
 * state directory; the last Reserves are written while it is down. Under exactly-once the decisions of the transaction it had open are aborted and taken again once: each
 * reservation has exactly one decision (read_committed), exactly 100 are allowed and 100 refused BUDGET_EXCEEDED,
 * and once every stream ended the budget reserves nothing and has spent exactly the allowed streams' usage.
 */
@WithKafkaStack
class BudgetContentionAppKilledTest {

    private static final Duration READY_BOUND = Duration.ofSeconds(90);
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(120);
    private static final String TENANT = "contended";
    private static final String SCOPE = "tenant:" + TENANT;
    private static final int STREAMS = 200;
    private static final int FITS = 100;
    /** Reserves written before the kill; the rest while the application is down. */
    private static final int BEFORE_KILL = 150;
    private static final long ESTIMATE = 1_000_000;
    /** Long enough that no hold lapses or needs an extend while the application is down and the streams wait. */
    private static final long TTL_MS = 120_000;
    private static final long INPUT_TOKENS = 40;
    private static final long OUTPUT_TOKENS = 300;

    @RegisterExtension
    final ChildApps children = new ChildApps();

    private final KafkaStack stack;

    BudgetContentionAppKilledTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void a_budget_for_100_estimates_allows_exactly_100_of_200_open_holds_and_a_kill_9_changes_nothing(
            @TempDir final Path stateDir) throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.create(stack, "contention");
        final Map<String, Object> settings = deployment.meteringSettings(stateDir);
        // Open holds stay open: with the scenarios' 4 s idle timeout the first Reserves would be settled as
        // abandoned during the restart, and their returned holds would let later Reserves in.
        settings.put(MeteringConfig.IDLE_TIMEOUT_MS_CONFIG, TTL_MS);
        final ChildApp first = children.start("contention", "app", settings).awaitReady(READY_BOUND);
        final BudgetClient budgets = new BudgetClient(stack.bootstrapServers(), deployment.topics(),
                Duration.ofSeconds(60));
        assertThat(budgets.apply(BudgetRequests.set("contention-budget", SCOPE, Unit.USD_MICROCENTS,
                FITS * ESTIMATE, 0, null, "fits exactly 100 estimates", Instant.now())).getKind())
                .isEqualTo(AuditKind.BUDGET_CHANGED);
        final List<String> ids = IntStream.range(0, STREAMS).mapToObj(i -> "contend-" + i).toList();

        final long killedAt;
        try (EventSender sender = deployment.eventSender()) {
            ids.subList(0, BEFORE_KILL).forEach(id -> sender.send(reserve(id)));
            sender.flush();
            awaitFirstDecision(deployment);
            first.killHard();
            killedAt = System.currentTimeMillis();
            final int decidedBeforeKill = decisions(deployment).size();
            ids.subList(BEFORE_KILL, STREAMS).forEach(id -> sender.send(reserve(id)));
            sender.flush();
            children.start("contention", "app-restarted", settings).awaitReady(READY_BOUND);

            final Map<String, List<Decision>> decided = await("a decision for every reservation")
                    .atMost(SETTLE_BOUND).until(() -> decisions(deployment), all -> all.keySet().containsAll(ids));
            assertThat(decided).allSatisfy((id, each) -> assertThat(each).as("decisions of %s", id).hasSize(1));
            final List<String> allowed = ids.stream().filter(id -> allowed(decided.get(id).get(0))).toList();
            assertThat(allowed).as("allowed of %d holds open at once", STREAMS).hasSize(FITS);
            assertThat(ids).filteredOn(id -> !allowed.contains(id))
                    .allSatisfy(id -> assertThat(decided.get(id).get(0).getReasonCode()).isEqualTo("BUDGET_EXCEEDED"));

            final Map<String, Long> charges = new HashMap<>();
            for (final String id : ids) {
                if (allowed.contains(id)) {
                    sender.send(StreamEvents.usage(id, 1, Instant.now(), INPUT_TOKENS, OUTPUT_TOKENS));
                    sender.send(StreamEvents.end(id, 2, Instant.now(), Outcome.COMPLETED, null));
                    charges.put(id, StreamEvents.price(INPUT_TOKENS, OUTPUT_TOKENS));
                } else {
                    sender.send(StreamEvents.end(id, 1, Instant.now(), Outcome.CANCELLED, "refused"));
                    charges.put(id, 0L);
                }
            }
            sender.flush();
            assertThat(sender.failures()).isEmpty();

            final long spent = FITS * StreamEvents.price(INPUT_TOKENS, OUTPUT_TOKENS);
            final LedgerCheck.Outcome outcome = new LedgerCheck(deployment.ledgerReader(),
                    Expectations.charges(charges).withBudgetCharges(Map.of(SCOPE + "|" + Unit.USD_MICROCENTS, spent)),
                    snapshot -> List.of()).awaitHolds(SETTLE_BOUND);
            final Balance budget = outcome.snapshot().balances().stream()
                    .filter(balance -> balance.getScope().equals(SCOPE)).findFirst().orElseThrow();
            assertThat(budget.getReserved()).isZero();
            assertThat(budget.getSpent()).isEqualTo(spent);
            assertThat(budget.getDebt()).isZero();
            assertThat(budget.getRemaining()).isEqualTo(FITS * ESTIMATE - spent);

            ScenarioFigures.of("10. budget contention, app killed with kill -9", String.format(
                    "%d holds of one tenant open at once against a budget for %d estimates; SIGKILL of the app once"
                            + " %d of %d decisions were committed (at %s), the other %d Reserves written while it was down;"
                            + " exactly %d allowed, one decision each, the budget back to 0 reserved and %s spent",
                    STREAMS, FITS, decidedBeforeKill, BEFORE_KILL, Instant.ofEpochMilli(killedAt),
                    STREAMS - BEFORE_KILL, allowed.size(),
                    String.format("%,d", spent)), sender.sent(), started, Recovery.NOT_APPLICABLE, outcome).publish();
        }
    }

    private static dev.budgetmeter.schemas.StreamEvent reserve(final String id) {
        return StreamEvents.reserve(id, Instant.now(), StreamEvents.reserveBody(id, ESTIMATE, TTL_MS)
                .setSubject(Subject.newBuilder().setTenant(TENANT).build()).build());
    }

    private static boolean allowed(final Decision decision) {
        return decision.getDecision() == DecisionKind.ALLOW || decision.getDecision() == DecisionKind.ALLOW_WITH_CAPS;
    }

    /** Returns once a first decision is committed, polling without pause so the kill comes soon after it. */
    private void awaitFirstDecision(final ScenarioDeployment deployment) {
        final var decisions = deployment.topics().topic(Topics.DECISIONS);
        try (KafkaConsumer<String, Decision> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20),
                decisions.keySerde().deserializer(), decisions.valueSerde().deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(decisions.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("a first decision").atMost(SETTLE_BOUND).pollDelay(Duration.ZERO).pollInSameThread()
                    .until(() -> !consumer.poll(Duration.ofMillis(20)).isEmpty());
        }
    }

    /** Every decision on the decisions topic (read_committed), by reservation. */
    private Map<String, List<Decision>> decisions(final ScenarioDeployment deployment) {
        final Map<String, List<Decision>> byReservation = new HashMap<>();
        new TopicToEnd(stack.bootstrapServers(), Duration.ofSeconds(30), "contention-decisions").read(
                deployment.topics().topic(Topics.DECISIONS),
                (key, decision) -> byReservation.computeIfAbsent(key, id -> new ArrayList<>()).add(decision));
        return byReservation;
    }
}
