package dev.budgetmeter.reliability.support;

import static org.awaitility.Awaitility.await;

import dev.budgetmeter.reliability.workload.LoadDriver;
import java.time.Duration;

/**
 * Kills an application instance with SIGKILL at the moment that tests exactly-once hardest: mid-load, while it holds
 * live reservations and has a transaction open that already wrote output.
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
     */
    public record At(long liveReservations, int tick, long killedAtNanos) {
    }

    /** Waits for that moment (bounded), then kills the instance. */
    public static At midTransaction(final ChildApp victim, final LoadDriver load, final String bootstrapServers,
                                    final String applicationId) {
        await("the instance to kill holds live reservations mid-load").atMost(BOUND)
                .until(() -> load.ticks() >= MIN_TICKS && victim.activeReservations() > 0);
        final long live = victim.activeReservations();
        final int tick = load.ticks();
        try (OpenTransactions transactions = new OpenTransactions(bootstrapServers,
                victim.streamsClientId(applicationId))) {
            await("a transaction open with output").atMost(BOUND).pollInterval(Duration.ofMillis(5))
                    .until(transactions::anyOpenWithOutput);
        }
        final long killedAt = System.nanoTime();
        victim.killHard();
        return new At(live, tick, killedAt);
    }
}
