package dev.budgetmeter.localstack.internal;

import java.time.Duration;

/**
 * A time budget for waiting on something to come up, measured on the monotonic clock (wall-clock jumps do not
 * shorten or stretch it).
 */
public final class Deadline {

    private final Duration budget;
    private final long startNanos;

    private Deadline(final Duration budget, final long startNanos) {
        this.budget = budget;
        this.startNanos = startNanos;
    }

    /** A deadline {@code budget} from now. */
    public static Deadline in(final Duration budget) {
        return new Deadline(budget, System.nanoTime());
    }

    /** The whole budget this deadline was created with. */
    public Duration budget() {
        return budget;
    }

    /** Time spent since the deadline was created. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** What is left of the budget, never negative. */
    public Duration remaining() {
        final Duration left = budget.minus(elapsed());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Whether the budget is used up. */
    public boolean hasExpired() {
        return remaining().isZero();
    }

    /**
     * Sleeps for {@code interval} or until the deadline, whichever comes first: the pause between two readiness probes.
     *
     * @throws IllegalStateException if interrupted (the interrupt flag is kept)
     */
    public void pause(final Duration interval) {
        final Duration left = remaining();
        try {
            Thread.sleep((left.compareTo(interval) < 0 ? left : interval).toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    /** The elapsed time as seconds with one decimal, e.g. {@code "6.3 s"}, for log lines. */
    public static String seconds(final Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
