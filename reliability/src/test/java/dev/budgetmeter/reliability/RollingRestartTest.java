package dev.budgetmeter.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.LocalKafkaCluster;
import dev.budgetmeter.localstack.junit.WithKafkaCluster;
import dev.budgetmeter.reliability.check.LoadJudgement;
import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.check.ScenarioFigures;
import dev.budgetmeter.reliability.support.ChildApp;
import dev.budgetmeter.reliability.support.ChildApps;
import dev.budgetmeter.reliability.support.HardKill;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.reliability.workload.EventSender;
import dev.budgetmeter.reliability.workload.LoadDriver;
import dev.budgetmeter.reliability.workload.StreamPlan;
import dev.budgetmeter.reliability.workload.Workload;
import dev.budgetmeter.topology.MeteringConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster scenario 13: three instances of the application (each its own JVM, state directory and
 * {@code group.instance.id}, one standby replica of every store) are restarted one after the other under load, as
 * an orchestrator rolls out a new version: SIGTERM, wait for the exit, start the same instance again, wait until it
 * is ready, next. A cleanly closed instance leaves the group although it is a static member, so its tasks move to
 * the standbys within a rebalance and holds ({@link ClusterScenario#ROLLING_TTL_MS}) go on being extended while it
 * restarts; no live stream is judged idle; nothing acknowledged is lost and nothing is counted twice. Each stop waits for a settled group (a member stopped during a rebalance holds the whole group
 * up until it is back). Recovery is the slowest of the three, from each stop to the first output of every task the
 * stopped instance ran, wherever that task runs then: reported, not asserted. The
 * figures give the load's tick at each stop: on a loaded machine the last restarts may come after the load ended,
 * when no task has input left to show its recovery by; those restarts are reported, not timed.
 */
@WithKafkaCluster
class RollingRestartTest {

    private static final List<String> INSTANCES = List.of("instance-1", "instance-2", "instance-3");
    private static final Duration STOP_BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    final ChildApps children = new ChildApps();

    private final LocalKafkaCluster cluster;

    RollingRestartTest(final LocalKafkaCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void a_rolling_restart_of_three_instances_under_load_loses_nothing_and_counts_nothing_twice(
            @TempDir final Path stateRoot) throws Exception {
        final long started = System.nanoTime();
        final ScenarioDeployment deployment = ScenarioDeployment.onCluster(cluster, "rolling", List.of(), false);
        final Map<String, Map<String, Object>> settings = new HashMap<>();
        for (final String instance : INSTANCES) {
            final Map<String, Object> own = new HashMap<>(deployment.meteringSettings(instance,
                    stateRoot.resolve(instance)));
            own.put(MeteringConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
            settings.put(instance, own);
        }
        final List<ChildApp> running = new ArrayList<>();
        INSTANCES.forEach(instance -> running.add(children.start("rolling", instance, settings.get(instance))));
        running.forEach(app -> app.awaitReady(ClusterScenario.READY_BOUND));
        final Workload workload = Workload.mixed("rolling", 300, 10, 20, 3 * ClusterScenario.LONG_CHUNKS,
                ClusterScenario.ROLLING_TTL_MS, 12L);
        final List<String> longStreams = workload.plans().stream().filter(plan -> plan.reservationId()
                .contains("-long")).map(StreamPlan::reservationId).toList();

        try (EventSender sender = deployment.eventSender();
             LoadDriver load = LoadDriver.start(workload, sender, ClusterScenario.TICK)) {
            await("load under way").atMost(Duration.ofSeconds(30)).until(() -> load.ticks() >= 12);
            final List<Recovery.Fault> restarts = new ArrayList<>();
            final List<String> steps = new ArrayList<>();
            for (int i = 0; i < INSTANCES.size(); i++) {
                final String instance = INSTANCES.get(i);
                // Each stop meets a settled group: a member stopped during a rebalance holds the whole group up.
                await("the group settled before " + instance + " stops").atMost(ClusterScenario.READY_BOUND)
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> running.stream().allMatch(ChildApp::isReady)
                                && deployment.groupSettled(INSTANCES.size()));
                final HardKill.Aimed aimed = HardKill.aim(running.get(i), deployment);
                final int tick = load.ticks();
                final int exit = running.get(i).stop(STOP_BOUND);
                assertThat(exit).as(instance + " exit code after SIGTERM").isZero();
                final Recovery.Fault stop = new Recovery.Fault("its stop", System.currentTimeMillis(),
                        aimed.partitionCount(), aimed.tasks()).narrowedTo(longStreams);
                final long stoppedAt = System.nanoTime();
                running.set(i, children.start("rolling", instance + "-restarted", settings.get(instance))
                        .awaitReady(ClusterScenario.READY_BOUND));
                // A task writes only for input or a timer: once the load is over, a restart has nothing to show.
                final boolean loadGoesOn = load.ticks() < workload.lastTick();
                if (loadGoesOn) {
                    restarts.add(stop);
                }
                steps.add(String.format(Locale.ROOT, "%s (tasks %s, stopped at tick %d) back in %.1f s%s", instance,
                        aimed.tasks(), tick, (System.nanoTime() - stoppedAt) / 1e9,
                        loadGoesOn ? "" : " after the load ended (not timed)"));
            }

            final LoadJudgement judgement = LoadJudgement.of(deployment, sender, load, workload, true,
                    ClusterScenario.LOAD_BOUND, ClusterScenario.SETTLE_BOUND);
            final Recovery slowest = restarts.stream().map(fault -> fault.measure(judgement.outcome().snapshot()))
                    .max((a, b) -> a.slowest().orElse(Duration.ofDays(1))
                            .compareTo(b.slowest().orElse(Duration.ofDays(1))))
                    .orElse(Recovery.NOT_APPLICABLE);
            ScenarioFigures.of("13. rolling restart of three instances under load", String.format(
                    "SIGTERM and restart of each of 3 static members (standby replicas) in turn, holds of %d s, load of"
                            + " %d ticks: %s; %s", ClusterScenario.ROLLING_TTL_MS / 1000, workload.lastTick() + 1,
                    steps.stream().collect(Collectors.joining(", ")),
                    judgement.terminals().timerSettlements(workload.size())),
                    sender.sent(), started, slowest, judgement.outcome()).publish();
        }
    }
}
