package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.LocalKafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.reliability.check.LedgerCheck;
import dev.budgetmeter.reliability.check.PlannedTerminals;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioChecks;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.support.InProcessApp;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.LoadDriver;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.Workload;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3: the broker is stopped mid-load and started again (same port, same data) while the application keeps
 * running in this JVM. Workers keep sending during the outage (their idempotent producers buffer and retry), and the
 * expectations count only what the broker acknowledged. Every reservation settles once with exactly its reported
 * spend; streams that were live during the outage may be settled by a timer when processing stalled past the idle
 * timeout, and their later usage then becomes Debits.
 */
@WithKafkaStack
class BrokerRestartTest {

    private static final Duration SETTLE_BOUND = Duration.ofSeconds(120);
    private static final Duration TICK = Duration.ofMillis(250);
    /** How much load the outage must see: this long of worker sends, blocked or buffered. */
    private static final Duration LOAD_DURING_OUTAGE = Duration.ofSeconds(3);

    private final LocalKafkaStack stack;
    private InProcessApp app;

    BrokerRestartTest(final LocalKafkaStack stack) {
        this.stack = stack;
    }

    @AfterEach
    void leaveTheBrokerRunning() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            // Every other test of this JVM shares the broker.
            stack.broker().start();
        }
    }

    @Test
    void broker_stopped_and_started_mid_load_loses_nothing_and_counts_nothing_twice(@TempDir final Path stateDir)
            throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.create(stack, "broker");
        app = InProcessApp.start(deployment.meteringSettings(stateDir));
        final Workload workload = Workload.mixed("broker", 300, 10, 20, 40, ScenarioDeployment.TTL_MS, 3L);

        try (EventSender sender = deployment.eventSender();
             LoadDriver load = LoadDriver.start(workload, sender, TICK)) {
            await("load under way").atMost(Duration.ofSeconds(20)).until(() -> load.ticks() >= 8);
            final long downAt = System.nanoTime();
            stack.broker().stop();
            final int ticksAtStop = load.ticks();
            // Workers' sends block while their producer waits for metadata (or buffer, depending on the client):
            // either way the outage must last through this much of their load.
            final long ticksDuringOutage = LOAD_DURING_OUTAGE.toMillis() / TICK.toMillis();
            await("workers blocked or buffering for " + LOAD_DURING_OUTAGE).atMost(Duration.ofSeconds(30))
                    .until(() -> load.stalledFor().compareTo(LOAD_DURING_OUTAGE) >= 0
                            || load.ticks() >= ticksAtStop + ticksDuringOutage);
            stack.broker().start();
            final Recovery.Fault back = Recovery.Fault.onEveryPartition("the broker's return",
                    deployment.inputPartitions());
            final Duration downtime = Duration.ofNanos(System.nanoTime() - downAt);
            load.awaitFinished(Duration.ofSeconds(120));
            assertThat(sender.failures()).as("events the broker never acknowledged").isEmpty();

            final ProducerTruth truth = ProducerTruth.of(sender.acknowledged());
            final LedgerCheck.Outcome outcome = ScenarioChecks.awaitSpendAndTerminals(deployment.ledgerReader(), truth,
                    workload.plans(), true, SETTLE_BOUND);
            assertThat(outcome.snapshot().deadLetters()).as("dead letters").isEmpty();
            final PlannedTerminals terminals = PlannedTerminals.compare(outcome.snapshot(), workload.plans(), true);

            ScenarioFigures.of("3. broker stopped and started mid-load", String.format(
                    "broker down %.1f s mid-load (workers blocked, no event lost); %s", downtime.toMillis() / 1000.0,
                    terminals.timerSettlements(workload.size())),
                    sender.sent(), started, back.measure(outcome.snapshot()), outcome).publish();
        }
    }
}
