package dev.budgetmeter.bench.report;

import org.HdrHistogram.Histogram;

/**
 * A summary of measured values: count and the usual percentiles, in one unit. Immutable.
 *
 * @param unit  what the numbers are in, for example {@code ms} or {@code µs}
 * @param count how many values were measured
 * @param min   smallest value
 * @param p50   median
 * @param p90   90th percentile
 * @param p99   99th percentile
 * @param max   largest value
 * @param mean  arithmetic mean
 */
public record Distribution(String unit, long count, double min, double p50, double p90, double p99, double max,
                           double mean) {

    /**
     * Summarises a histogram whose values were recorded in a finer unit.
     *
     * @param histogram    the recorded values
     * @param divisor      what to divide recorded values by to get {@code unit}, e.g. 1000 for µs recorded, ms shown
     * @param unit         the unit after dividing
     */
    public static Distribution of(final Histogram histogram, final double divisor, final String unit) {
        if (histogram.getTotalCount() == 0) {
            return new Distribution(unit, 0, 0, 0, 0, 0, 0, 0);
        }
        return new Distribution(unit, histogram.getTotalCount(),
                histogram.getMinValue() / divisor,
                histogram.getValueAtPercentile(50) / divisor,
                histogram.getValueAtPercentile(90) / divisor,
                histogram.getValueAtPercentile(99) / divisor,
                histogram.getMaxValue() / divisor,
                histogram.getMean() / divisor);
    }

    /** A histogram for values from 1 to {@code highest}, three significant digits, that grows if needed. */
    public static Histogram newHistogram(final long highest) {
        final Histogram histogram = new Histogram(highest, 3);
        histogram.setAutoResize(true);
        return histogram;
    }
}
