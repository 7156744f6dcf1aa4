package dev.budgetmeter.bench.load;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Runs an action at a fixed rate for a fixed time, on the calling thread: what is due every ~0.2 ms, so the load is
 * smooth, and never more than is due, so an action that slows down (a producer whose buffer is full) shows as a
 * lower achieved rate rather than as a burst later.
 */
public final class Pacer {

    private static final long PARK_NANOS = 200_000L;
    private static final long MAX_BURST = 1_024;

    private Pacer() {
    }

    /**
     * Runs {@code action} {@code ratePerSecond} times per second for {@code duration}.
     *
     * @param progress told the count run so far after each burst
     * @return how many times it ran
     */
    public static long run(final double ratePerSecond, final Duration duration, final Runnable action,
                           final LongConsumer progress) {
        final long start = System.nanoTime();
        final long length = duration.toNanos();
        long count = 0;
        for (long elapsed = 0; elapsed < length; elapsed = System.nanoTime() - start) {
            final long due = (long) (elapsed * ratePerSecond / 1e9);
            // A bounded burst, so a run that falls behind still stops on time.
            final long burstEnd = Math.min(due, count + MAX_BURST);
            while (count < burstEnd) {
                action.run();
                count++;
            }
            progress.accept(count);
            if (count >= due) {
                LockSupport.parkNanos(PARK_NANOS);
            }
        }
        return count;
    }
}
