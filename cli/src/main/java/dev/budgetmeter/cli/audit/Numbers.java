package dev.budgetmeter.cli.audit;

import java.util.Locale;

/** How the audit tools print amounts and counts: with thousands separators, the same on every machine. */
final class Numbers {

    private Numbers() {
    }

    static String number(final long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
