package dev.budgetmeter.bench.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * The rate of a growing count, as the least-squares slope of (time, count) samples. A slope over many samples
 * is far steadier than (last - first) / time when the count moves in steps, as committed offsets do (once per
 * exactly-once commit, every 100 ms by default). Not thread-safe.
 */
final class RateEstimator {

    private final List<long[]> samples = new ArrayList<>();

    /** Adds the count at {@code nanos} ({@link System#nanoTime()}). */
    void add(final long nanos, final long count) {
        samples.add(new long[] {nanos, count});
    }

    /** Counts per second; 0 with fewer than two samples. */
    double perSecond() {
        if (samples.size() < 2) {
            return 0;
        }
        final long origin = samples.get(0)[0];
        double meanX = 0;
        double meanY = 0;
        for (final long[] sample : samples) {
            meanX += (sample[0] - origin) / 1e9;
            meanY += sample[1];
        }
        meanX /= samples.size();
        meanY /= samples.size();
        double covariance = 0;
        double variance = 0;
        for (final long[] sample : samples) {
            final double dx = (sample[0] - origin) / 1e9 - meanX;
            covariance += dx * (sample[1] - meanY);
            variance += dx * dx;
        }
        return variance == 0 ? 0 : covariance / variance;
    }
}
