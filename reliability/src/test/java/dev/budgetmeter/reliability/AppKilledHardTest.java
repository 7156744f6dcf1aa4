package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.reliability.check.LedgerCheck;
import dev.budgetmeter.reliability.check.PlannedTerminals;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioChecks;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.support.AbortedRecords;
import dev.budgetmeter.reliability.support.ChildApp;
import dev.budgetmeter.reliability.support.HardKill;
import dev.budgetmeter.reliability.support.ChildApps;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.LoadDriver;
import dev.budgetmeter.reliability.workload.ProducerTruth;
import dev.budgetmeter.reliability.workload.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 1: the metering application, in its own JVM ({@code budget-meter run}), is killed with SIGKILL mid-load
 * and started again on the same state directory. Under exactly-once the transaction it had open is aborted, so
 * read_committed readers never see its half-done outputs and the restarted instance redoes that work once: the
 * oracle finds exactly one terminal command per reservation and exactly the reported spend. Streams live while the
 * application was down may be settled by a timer (their later usage becomes Debits).
 *
 * <p>The restarted instance has the dead one's {@code group.instance.id} and state directory, and the consumer session
 * is Kafka's default (45 s): the dead member stays in the group that long, so a recovery faster than the session
 * timeout is static membership at work (the restarted member takes the dead one's place at once). Recovery is timed
 * from the kill to the first output of every task ({@link Recovery}); only that bound is asserted, since the machine
 * is shared.
 */
@WithKafkaStack
class AppKilledHardTest {

    private static final Duration READY_BOUND = Duration.ofSeconds(90);
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(120);

    @RegisterExtension
    final ChildApps children = new ChildApps();

    private final KafkaStack stack;

    AppKilledHardTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void app_killed_with_sigkill_mid_load_and_restarted_loses_nothing_and_counts_nothing_twice(
            @TempDir final Path stateDir) throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.create(stack, "kill9");
        final Map<String, Object> settings = deployment.meteringSettings(stateDir);
        final Duration session = ScenarioDeployment.sessionTimeout(settings);
        assertThat(session).as("Kafka's default session timeout").isEqualTo(Duration.ofSeconds(45));
        final ChildApp first = children.start("kill9", "app", settings).awaitReady(READY_BOUND);
        final Workload workload = Workload.mixed("kill", 300, 10, 20, 40, ScenarioDeployment.TTL_MS, 1L);

        try (EventSender sender = deployment.eventSender();
             LoadDriver load = LoadDriver.start(workload, sender, Duration.ofMillis(250))) {
            final HardKill.At kill = HardKill.midTransaction(first, load, deployment);
            final ChildApp restarted = children.start("kill9", "app-restarted", settings).awaitReady(READY_BOUND);
            final Duration down = Duration.ofNanos(System.nanoTime() - kill.killedAtNanos());
            assertThat(restarted.isAlive()).isTrue();
            load.awaitFinished(Duration.ofSeconds(60));
            assertThat(sender.failures()).isEmpty();

            final ProducerTruth truth = ProducerTruth.of(sender.acknowledged());
            final LedgerCheck.Outcome outcome = ScenarioChecks.awaitSpendAndTerminals(deployment.ledgerReader(), truth,
                    workload.plans(), true, SETTLE_BOUND);
            assertThat(outcome.snapshot().deadLetters()).as("dead letters").isEmpty();
            final PlannedTerminals terminals = PlannedTerminals.compare(outcome.snapshot(), workload.plans(), true);

            final Recovery recovery = kill.fault().measure(outcome.snapshot());
            recovery.assertWithinSessionTimeout(session);

            final long aborted = AbortedRecords.inOutputs(deployment, Duration.ofSeconds(30));
            ScenarioFigures.of("1. app killed with kill -9 mid-load, restarted", String.format(
                    "SIGKILL of the app's JVM at tick %d of %d holding %d live reservations; restarted (same"
                            + " group.instance.id and state dir, session timeout %d s) and ready after %.1f s; %d"
                            + " output records of aborted transactions hidden from read_committed; %s", kill.tick(),
                    workload.lastTick() + 1, kill.liveReservations(), session.toSeconds(), down.toMillis() / 1000.0,
                    aborted, terminals.timerSettlements(workload.size())),
                    sender.sent(), started, recovery, outcome).publish();
        }
    }
}
