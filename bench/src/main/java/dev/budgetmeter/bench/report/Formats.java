package dev.budgetmeter.bench.report;

import java.util.Locale;

/** Number formatting shared by the reports: fixed locale, so figures read the same on every machine. */
public final class Formats {

    private Formats() {
    }

    /** A rate or count with thousands separators and no decimals, e.g. {@code 12,345}. */
    public static String whole(final double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** A value with {@code decimals} decimals, e.g. {@code 0.62}. */
    public static String fixed(final double value, final int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A nullable value with {@code decimals} decimals, or {@code n/a}. */
    public static String fixedOrNa(final Double value, final int decimals) {
        return value == null ? "n/a" : fixed(value, decimals);
    }

    /** A yes/no cell. */
    public static String yesNo(final boolean value) {
        return value ? "yes" : "no";
    }
}
