package dev.budgetmeter.cli.demo;

import java.time.Duration;
import java.util.Arrays;

/** Collects latencies and answers percentiles (nearest rank). Thread-safe. */
public final class LatencyRecorder {

    private long[] nanos = new long[1024];
    private int count;

    /** Records one latency; negative ones count as zero. */
    public synchronized void record(final long latencyNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = Math.max(0, latencyNanos);
    }

    public synchronized int count() {
        return count;
    }

    /**
     * The latency below which {@code percent} of the recorded ones lie (nearest rank), or zero when none was recorded.
     *
     * @param percent 0-100
     */
    public synchronized Duration percentile(final double percent) {
        if (count == 0) {
            return Duration.ZERO;
        }
        final long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        final int rank = (int) Math.ceil(percent / 100.0 * count);
        return Duration.ofNanos(sorted[Math.min(count - 1, Math.max(0, rank - 1))]);
    }
}
