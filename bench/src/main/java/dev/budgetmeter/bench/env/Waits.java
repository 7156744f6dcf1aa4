package dev.budgetmeter.bench.env;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition, for the benchmark's own orchestration (never inside a measured path). */
public final class Waits {

    private Waits() {
    }

    /**
     * Checks {@code condition} every {@code interval} until it holds or {@code timeout} has passed.
     *
     * @return whether the condition held in time
     */
    public static boolean until(final BooleanSupplier condition, final Duration timeout, final Duration interval) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            pause(interval);
        }
        return true;
    }

    /** Parks the calling thread for about {@code duration}; an interrupt ends the pause early and is kept. */
    public static void pause(final Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }
}
