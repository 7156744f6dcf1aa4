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
import dev.budgetmeter.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster scenario 11: on the three-broker cluster (replication 3, {@code min.insync.replicas} 2, SASL/SCRAM and
 * ACLs, every party its own least-privilege principal), the broker that leads the busiest input partition is killed
 * with {@code kill -9} under load, and started again a little later. Its partitions get new leaders among the two
 * others once the controllers fence it; workers and the application (exactly-once, as its topology principal alone)
 * ride it out; nothing acknowledged is lost and nothing is counted twice. Holds are long
 * ({@link ClusterScenario#TTL_MS}) and silence is judged on the input clock, so a stall settles no live stream as
 * idle; a stall longer than a hold on a loaded machine may still expire one, which a timer then settles (allowed,
 * and counted in the figures: the money is checked exactly either way).
 */
@WithKafkaCluster
class LeaderKilledHardTest {

    @RegisterExtension
    final ChildApps children = new ChildApps();

    private final LocalKafkaCluster cluster;

    LeaderKilledHardTest(final LocalKafkaCluster cluster) {
        this.cluster = cluster;
    }

    @AfterEach
    void every_broker_runs_again() {
        cluster.brokers().forEach(ChildKafkaBroker::start);
    }

    @Test
    void the_busiest_input_partitions_leader_killed_under_load_and_restarted_loses_nothing_and_counts_nothing_twice(
            @TempDir final Path stateDir) throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.onCluster(cluster, "leader", List.of(), false);
        children.start("leader", "app", deployment.meteringSettings(stateDir))
                .awaitReady(ClusterScenario.READY_BOUND);
        final Workload workload = Workload.mixed("leader", 300, 10, 20, ClusterScenario.LONG_CHUNKS,
                ClusterScenario.TTL_MS, 10L);

        try (EventSender sender = deployment.eventSender();
             LoadDriver load = LoadDriver.start(workload, sender, ClusterScenario.TICK)) {
            await("load under way").atMost(Duration.ofSeconds(30)).until(() -> load.ticks() >= 12);
            final int busiest = deployment.busiestInputPartition();
            final ChildKafkaBroker leader = cluster.broker(cluster.leaderOf(
                    deployment.topics().name(Topics.STREAM_EVENTS), busiest));
            leader.kill();
            final Recovery.Fault kill = Recovery.Fault.onEveryPartition("the kill", deployment.inputPartitions());
            final int ticksAtKill = load.ticks();
            await("load goes on without the broker").atMost(Duration.ofSeconds(60))
                    .until(() -> load.ticks() >= ticksAtKill + ClusterScenario.TICKS_DOWN);
            final long downMs = System.currentTimeMillis() - kill.atMs();
            leader.start();

            final LoadJudgement judgement = LoadJudgement.of(deployment, sender, load, workload, true,
                    ClusterScenario.LOAD_BOUND, ClusterScenario.SETTLE_BOUND);
            ScenarioFigures.of("11. leader of the busiest input partition killed with kill -9 under load, restarted",
                    String.format("SIGKILL of broker %d (leader of stream-events-%d) at tick %d of %d; down %.1f s,"
                                    + " then restarted; 3 brokers, min.insync.replicas 2, SASL/SCRAM and ACLs; %s",
                            leader.nodeId(), busiest, ticksAtKill, workload.lastTick() + 1, downMs / 1000.0,
                            judgement.terminals().timerSettlements(workload.size())),
                    sender.sent(), started, kill.measure(judgement.outcome().snapshot()), judgement.outcome())
                    .publish();
        }
    }
}
