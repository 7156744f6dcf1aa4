package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.reliability.check.LedgerCheck;
import dev.budgetmeter.reliability.check.PlannedTerminals;
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
import dev.budgetmeter.topology.MeteringConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2: two instances of the application, each in its own JVM with its own state directory, its own
 * {@code group.instance.id} and one standby replica of every store; one is killed with SIGKILL mid-load and does not
 * come back. The survivor takes over the dead one's tasks (from its warm standby) and every reservation, whichever
 * instance held it, settles once with exactly its reported spend.
 *
 * <p>A static member that never returns keeps its partitions until its session times out: static membership cannot
 * speed this up, so this scenario keeps a short session ({@link #SESSION_TIMEOUT_MS}) and its recovery, timed from the
 * kill to the survivor's first output for the dead one's partitions, is about that timeout plus a rebalance. With
 * Kafka's default of 45 s it would be that much longer.
 */
@WithKafkaStack
class StandbyFailoverTest {

    private static final Duration READY_BOUND = Duration.ofSeconds(90);
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(120);
    /** Short, so that the dead instance's partitions move on within seconds (Kafka's default is 45 s). */
    private static final int SESSION_TIMEOUT_MS = 6_000;
    private static final int HEARTBEAT_INTERVAL_MS = 1_500;

    @RegisterExtension
    final ChildApps children = new ChildApps();

    private final KafkaStack stack;

    StandbyFailoverTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void survivor_takes_over_when_one_of_two_instances_is_killed(@TempDir final Path firstState,
                                                                  @TempDir final Path secondState) throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.create(stack, "standby");
        final ChildApp victim = children.start("standby", "instance-1",
                instanceSettings(deployment, "instance-1", firstState));
        final ChildApp survivor = children.start("standby", "instance-2",
                instanceSettings(deployment, "instance-2", secondState));
        victim.awaitReady(READY_BOUND);
        survivor.awaitReady(READY_BOUND);
        final Workload workload = Workload.mixed("standby", 300, 10, 20, 40, ScenarioDeployment.TTL_MS, 2L);

        try (EventSender sender = deployment.eventSender();
             LoadDriver load = LoadDriver.start(workload, sender, Duration.ofMillis(250))) {
            final HardKill.At kill = HardKill.midTransaction(victim, load, deployment);
            load.awaitFinished(Duration.ofSeconds(60));
            assertThat(sender.failures()).isEmpty();

            final ProducerTruth truth = ProducerTruth.of(sender.acknowledged());
            final LedgerCheck.Outcome outcome = ScenarioChecks.awaitSpendAndTerminals(deployment.ledgerReader(), truth,
                    workload.plans(), true, SETTLE_BOUND);
            assertThat(outcome.snapshot().deadLetters()).as("dead letters").isEmpty();
            survivor.awaitReady(READY_BOUND);
            final PlannedTerminals terminals = PlannedTerminals.compare(outcome.snapshot(), workload.plans(), true);

            final long aborted = AbortedRecords.inOutputs(deployment, Duration.ofSeconds(30));
            ScenarioFigures.of("2. one of two instances (standby replicas) killed", String.format(
                    "SIGKILL of one of two instances (num.standby.replicas=1, session timeout %d s) at tick %d of %d"
                            + " holding %d live reservations on partitions %s; %d output records of aborted"
                            + " transactions hidden from read_committed; %s",
                    SESSION_TIMEOUT_MS / 1000, kill.tick(), workload.lastTick() + 1, kill.liveReservations(),
                    new TreeSet<>(kill.fault().partitions()), aborted, terminals.timerSettlements(workload.size())),
                    sender.sent(), started, kill.fault().measure(outcome.snapshot()), outcome).publish();
        }
    }

    /** One instance: its own name (so its own group.instance.id) and state dir, a standby replica, a short session. */
    private static Map<String, Object> instanceSettings(final ScenarioDeployment deployment, final String instance,
                                                        final Path stateDir) {
        final Map<String, Object> settings = new HashMap<>(deployment.meteringSettings(instance, stateDir));
        settings.put(MeteringConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), HEARTBEAT_INTERVAL_MS);
        return settings;
    }
}
