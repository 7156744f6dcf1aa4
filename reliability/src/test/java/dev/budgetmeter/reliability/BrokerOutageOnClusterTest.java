package dev.budgetmeter.reliability;

import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.ChildKafkaBroker;
import dev.budgetmeter.localstack.LocalKafkaCluster;
import dev.budgetmeter.localstack.junit.WithKafkaCluster;
import dev.budgetmeter.reliability.check.LoadJudgement;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.support.ChildApps;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.LoadDriver;
import dev.budgetmeter.reliability.workload.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster scenario 12: the broker that coordinates the application's consumer group is stopped (SIGTERM, a
 * controlled shutdown) under load and stays down for three idle timeouts before it starts again. The two others
 * take over its partitions and its coordinators: the application goes on processing, nothing acknowledged is lost
 * and nothing is counted twice. Silence is judged on input the application has read, so the outage itself settles no
 * live stream as idle; the figures count the streams a timer settled (a hold can only expire when a loaded machine
 * stalls the application for longer than {@link ClusterScenario#TTL_MS}).
 */
@WithKafkaCluster
class BrokerOutageOnClusterTest {

    @RegisterExtension
    final ChildApps children = new ChildApps();

    private final LocalKafkaCluster cluster;

    BrokerOutageOnClusterTest(final LocalKafkaCluster cluster) {
        this.cluster = cluster;
    }

    @AfterEach
    void every_broker_runs_again() {
        cluster.brokers().forEach(ChildKafkaBroker::start);
    }

    @Test
    void a_broker_stopped_for_longer_than_the_idle_timeout_loses_nothing_and_counts_nothing_twice(
            @TempDir final Path stateDir) throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.onCluster(cluster, "outage", List.of(), false);
        children.start("outage", "app", deployment.meteringSettings(stateDir)).awaitReady(ClusterScenario.READY_BOUND);
        final Workload workload = Workload.mixed("outage", 300, 10, 20, ClusterScenario.LONG_CHUNKS,
                ClusterScenario.TTL_MS, 11L);

        try (EventSender sender = deployment.eventSender();
             LoadDriver load = LoadDriver.start(workload, sender, ClusterScenario.TICK)) {
            await("load under way").atMost(Duration.ofSeconds(30)).until(() -> load.ticks() >= 12);
            final ChildKafkaBroker coordinator = cluster.broker(deployment.groupCoordinator());
            final Recovery.Fault stop = Recovery.Fault.onEveryPartition("the SIGTERM", deployment.inputPartitions());
            coordinator.stop();
            final long stoppedAt = System.currentTimeMillis();
            final int ticksAtStop = load.ticks();
            await("load goes on without the broker").atMost(Duration.ofSeconds(60))
                    .until(() -> load.ticks() >= ticksAtStop + ClusterScenario.TICKS_DOWN);
            final long downMs = System.currentTimeMillis() - stoppedAt;
            coordinator.start();

            final LoadJudgement judgement = LoadJudgement.of(deployment, sender, load, workload, true,
                    ClusterScenario.LOAD_BOUND, ClusterScenario.SETTLE_BOUND);
            ScenarioFigures.of("12. broker stopped for longer than the idle timeout",
                    String.format("broker %d (the group coordinator) stopped with SIGTERM at tick %d (controlled"
                                    + " shutdown %.1f s), down %.1f s = %.1f idle timeouts, then started; %s",
                            coordinator.nodeId(), ticksAtStop, (stoppedAt - stop.atMs()) / 1000.0, downMs / 1000.0,
                            downMs / (double) ScenarioDeployment.IDLE_TIMEOUT_MS,
                            judgement.terminals().timerSettlements(workload.size())),
                    sender.sent(), started, stop.measure(judgement.outcome().snapshot()), judgement.outcome())
                    .publish();
        }
    }
}
