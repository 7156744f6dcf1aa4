package dev.budgetmeter.reliability.support;

import static org.awaitility.Awaitility.await;

import dev.budgetmeter.reliability.check.Recovery;
import dev.budgetmeter.reliability.workload.LoadDriver;
import java.time.Duration;
import java.util.Set;

/**
 * Kills an application instance with SIGKILL, noting what it held and which tasks it ran, so that the scenario can
 * time the recovery of exactly those tasks ({@link Recovery}). {@link #midTransaction} picks the moment that tests
 * exactly-once hardest: mid-load, while the instance holds live reservations and has a transaction open that already
 * wrote output.
 */
public final class HardKill {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final int MIN_TICKS = 10;

    private HardKill() {
    }

    /**
     * What the instance held when it was killed.
     *
     * @param liveReservations reservations it held not settled yet
     * @param tick             the load's tick at the kill
     * @param killedAtNanos    {@link System#nanoTime()} just before the kill
     * @param fault            the input partitions it ran, timed from when the process was gone
     */
    public record At(long liveReservations, int tick, long killedAtNanos, Recovery.Fault fault) {
    }

    /** Waits for that moment (bounded), then kills the instance. */
    public static At midTransaction(final ChildApp victim, final LoadDriver load, final ScenarioDeployment deployment) {
        await("the instance to kill holds live reservations mid-load").atMost(BOUND)
                .until(() -> load.ticks() >= MIN_TICKS && victim.activeReservations() > 0);
        final Aimed aimed = aim(victim, deployment);
        final long live = victim.activeReservations();
        final int tick = load.ticks();
        try (OpenTransactions transactions = new OpenTransactions(deployment.adminProperties(),
                victim.streamsClientId(deployment.applicationId()))) {
            await("a transaction open with output").atMost(BOUND).pollInterval(Duration.ofMillis(5))
                    .until(transactions::anyOpenWithOutput);
        }
        return aimed.fire(live, tick);
    }

    /**
     * Looks up, once the consumer group shows them, the input partitions the instance runs, so that a later
     * {@link Aimed#fire} kills at once: the lookup takes a while on a busy machine.
     */
    public static Aimed aim(final ChildApp victim, final ScenarioDeployment deployment) {
        final String clientId = victim.streamsClientId(deployment.applicationId());
        final Set<Integer> tasks = await("the consumer group shows the tasks of " + victim.name()).atMost(BOUND)
                .until(() -> deployment.inputPartitionsOf(clientId), partitions -> !partitions.isEmpty());
        return new Aimed(victim, deployment.inputPartitions(), tasks);
    }

    /**
     * An instance about to be killed, with the input partitions it runs.
     *
     * @param partitionCount partitions of the input topic
     * @param tasks          the input partitions the instance runs
     */
    public record Aimed(ChildApp victim, int partitionCount, Set<Integer> tasks) {

        public Aimed {
            tasks = Set.copyOf(tasks);
        }

        /**
         * Kills the instance now.
         *
         * @param live the reservations it holds, as read just before
         * @param tick the load's tick, for the figures
         */
        public At fire(final long live, final int tick) {
            final long killedAt = System.nanoTime();
            victim.killHard();
            // Timed from when the process is gone: nothing it wrote can count as the recovery.
            return new At(live, tick, killedAt, new Recovery.Fault("the kill", System.currentTimeMillis(),
                    partitionCount, tasks));
        }
    }
}
