package dev.budgetmeter.bench.chart;

import dev.budgetmeter.bench.report.Formats;
import dev.budgetmeter.bench.report.ScenarioResult;
import java.awt.Color;
import java.util.Arrays;
import java.util.stream.DoubleStream;

/** What every panel of the chart draws alike: verdict colours, headroom, tick labels, the text of a missing panel. */
final class ChartStyle {

    static final Color MET = new Color(0x2ca02c);
    static final Color NOT_MET = new Color(0xd62728);
    /** Room above the tallest bar for the legend. */
    static final double HEADROOM = 1.3;

    private ChartStyle() {
    }

    /** What a panel says instead of a plot when its scenario did not run or failed. */
    static String absent(final ScenarioResult result) {
        return result == null ? "not run" : "failed: see results.md";
    }

    static double[] flatten(final double[][] values) {
        return Arrays.stream(values).flatMapToDouble(DoubleStream::of).toArray();
    }

    static String whole(final double value) {
        return Formats.whole(value);
    }

    /** E.g. {@code 12k}, {@code 1.5M}. */
    static String thousands(final double value) {
        return value >= 1_000_000 ? Formats.fixed(value / 1_000_000, value % 1_000_000 == 0 ? 0 : 1) + "M"
                : value >= 1_000 ? Formats.fixed(value / 1_000, value % 1_000 == 0 ? 0 : 1) + "k"
                : Formats.whole(value);
    }
}
