package dev.budgetmeter.producer.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * The argument checks of the public value types, so that every refusal names the field and the protocol's limit in
 * the same words. Each throws {@link IllegalArgumentException}.
 */
public final class Checks {

    private Checks() {
    }

    /** A non-blank text of at most {@code maxLength} characters. */
    public static String text(final String field, final String value, final int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required (1-" + maxLength + " characters)");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(field + " must be at most " + maxLength + " characters, was "
                    + value.length());
        }
        return value;
    }

    /** A value that must be given. */
    public static <T> T required(final String field, final T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    /** A long within {@code [min, max]}. */
    public static long range(final String field, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be within " + min + "-" + max + ", was " + value);
        }
        return value;
    }

    /** A long {@code >= 0}. */
    public static long nonNegative(final String field, final long value) {
        return range(field, value, 0, Long.MAX_VALUE);
    }

    /** A duration whose milliseconds lie within {@code [minMillis, maxMillis]}. */
    public static Duration millisRange(final String field, final Duration value, final long minMillis,
            final long maxMillis) {
        range(field + " (ms)", required(field, value).toMillis(), minMillis, maxMillis);
        return value;
    }

    /** A positive duration. */
    public static Duration positive(final String field, final Duration value) {
        if (required(field, value).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    /** A collection of at most {@code max} elements, none of them null. */
    public static <C extends Collection<?>> C atMost(final String field, final C values, final int max) {
        if (required(field, values).size() > max) {
            throw new IllegalArgumentException(field + " must hold at most " + max + " entries, held "
                    + values.size());
        }
        noNulls(field, values);
        return values;
    }

    /** A map without null keys or values. */
    public static <M extends Map<?, ?>> M noNulls(final String field, final M map) {
        required(field, map).forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException(field + " must not hold null keys or values");
            }
        });
        return map;
    }

    private static void noNulls(final String field, final Collection<?> values) {
        if (values.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException(field + " must not hold null entries");
        }
    }
}
