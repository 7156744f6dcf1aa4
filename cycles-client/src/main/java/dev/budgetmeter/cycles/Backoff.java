package dev.budgetmeter.cycles;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter for retries of an ambiguous answer: attempt 1 waits about {@code initial},
 * each next one twice as long, never more than {@code max} (Cycles' own Java client: 500 ms doubling to 30 s). The
 * jitter spreads many retries that failed together over the second half of each delay.
 *
 * @param initial the first delay
 * @param max     the longest delay
 */
public record Backoff(Duration initial, Duration max) {

    /** 500 ms doubling up to 30 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + " and " + max);
        }
    }

    /** The delay before retry number {@code retry} (1 for the first retry). */
    public Duration delay(final int retry) {
        final int doublings = Math.min(Math.max(retry - 1, 0), 30);
        final long full = Math.min(max.toMillis(), initial.toMillis() << doublings);
        final long half = full / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(full - half + 1));
    }
}
