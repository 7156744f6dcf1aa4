package dev.budgetmeter.poll;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounded waiting for a condition that nothing announces (partition leaders, brokers joining, an application's
 * readiness, commands becoming visible): the one polling loop of the project's main code, on the monotonic clock.
 * For orchestration only, never inside a measured or per-record path; tests wait with Awaitility instead.
 *
 * <p>An interrupt ends a wait at once with an {@link IllegalStateException}, the interrupt flag kept, rather than
 * turning the pauses into a busy loop until the timeout.
 */
public final class Poll {

    private Poll() {
    }

    /**
     * Checks {@code condition} at once and then every {@code interval} until it holds or {@code timeout} has passed.
     * The condition may throw to end the wait early; what it throws reaches the caller.
     *
     * @return whether the condition held in time
     * @throws IllegalStateException when the waiting thread is interrupted
     */
    public static boolean until(final BooleanSupplier condition, final Duration timeout, final Duration interval) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            pause(Duration.ofNanos(Math.min(left, interval.toNanos())));
        }
        return true;
    }

    /**
     * Sleeps for {@code duration}: the pause between two samples of a loop that measures rather than waits.
     *
     * @throws IllegalStateException when the sleeping thread is interrupted
     */
    public static void pause(final Duration duration) {
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
