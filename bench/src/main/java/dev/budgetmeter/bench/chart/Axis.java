package dev.budgetmeter.bench.chart;

import java.util.ArrayList;
import java.util.List;

/** Maps values of one axis to a fraction of its length, linear or logarithmic, and picks readable ticks. */
interface Axis {

    /** Where {@code value} lies: 0 at the start of the axis, 1 at its end. */
    double fraction(double value);

    /** Values to label. */
    List<Double> ticks();

    /** A linear axis from {@code min} to a round number at or above {@code max}. */
    static Axis linear(final double min, final double max) {
        final double span = Math.max(max - min, 1e-9);
        final double rough = span / 5;
        final double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        final double step = rough / magnitude < 2 ? 2 * magnitude : rough / magnitude < 5 ? 5 * magnitude
                : 10 * magnitude;
        final double top = Math.ceil(max / step) * step;
        return new Axis() {
            @Override
            public double fraction(final double value) {
                return (value - min) / Math.max(top - min, 1e-9);
            }

            @Override
            public List<Double> ticks() {
                final List<Double> ticks = new ArrayList<>();
                for (double tick = min; tick <= top + step / 2; tick += step) {
                    ticks.add(tick);
                }
                return ticks;
            }
        };
    }

    /**
     * A logarithmic axis a little wider than the smallest to the largest of {@code ticks} (all > 0), so no point sits
     * on the frame, labelled at each tick.
     */
    static Axis logAt(final List<Double> ticks) {
        final double first = Math.log(ticks.stream().mapToDouble(Double::doubleValue).min().orElse(1));
        final double last = Math.log(ticks.stream().mapToDouble(Double::doubleValue).max().orElse(10));
        final double margin = Math.max(last - first, 1) * 0.05;
        final double low = first - margin;
        final double high = last + margin;
        final List<Double> labelled = List.copyOf(ticks);
        return new Axis() {
            @Override
            public double fraction(final double value) {
                return (Math.log(Math.max(value, Double.MIN_VALUE)) - low) / (high - low);
            }

            @Override
            public List<Double> ticks() {
                return labelled;
            }
        };
    }
}
