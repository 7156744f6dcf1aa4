package dev.budgetmeter.topology.rules;

import java.util.List;
import java.util.Map;

/**
 * The limits of the protocol's fields and the checks against them, shared by the decoder (which refuses an event
 * whose essential fields break them) and the lifecycle (which ignores only the offending field of an event whose
 * billable content is valid). Each check returns what is wrong, naming the field and the rule, or null.
 *
 * <p>Amounts and prices are bounded so that no sum or product the metering computes can overflow: tokens times a
 * price stays below {@code 2^63} per field, and every amount stays within {@link #MAX_AMOUNT}, the largest integer a
 * JSON number carries exactly to a JavaScript client or an HTTP authority.
 */
public final class FieldLimits {

    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_LEVEL_LENGTH = 128;
    public static final int MAX_ACTION_KIND_LENGTH = 64;
    public static final int MAX_ACTION_NAME_LENGTH = 256;
    public static final int MAX_TAGS = 10;
    public static final int MAX_REASON_LENGTH = 256;
    public static final int MAX_MAP_ENTRIES = 64;
    public static final int MAX_MAP_VALUE_LENGTH = 1024;
    public static final long MIN_TTL_MS = 1_000L;
    public static final long MAX_TTL_MS = 86_400_000L;
    public static final long MAX_GRACE_MS = 60_000L;
    /** Tokens in one field of one event: far above any real call (context windows hold millions). */
    public static final long MAX_TOKENS = 10_000_000_000L;
    /** A price per token: 10^8 USD_MICROCENTS is one dollar a token, far above any model's price. */
    public static final long MAX_TOKEN_PRICE = 100_000_000L;
    /** An amount: 2^53 - 1, exact in JSON and JavaScript; 90 million dollars in USD_MICROCENTS. */
    public static final long MAX_AMOUNT = (1L << 53) - 1;
    /**
     * The encoded size of one event: far above the largest valid one (about 80 KiB: a Reserve with every map full),
     * far below the broker's 1 MiB, because the topology stores what it applies or holds (an event of an unknown
     * reservation waits in the orphan store with its original bytes) and a stored value must fit a changelog record.
     */
    public static final int MAX_EVENT_BYTES = 128 * 1024;

    private FieldLimits() {
    }

    /** {@code field} must lie in {@code min..max}. */
    public static String range(final String field, final long value, final long min, final long max) {
        return value < min || value > max
                ? field + " is " + value + ", outside " + min + ".." + (max == Long.MAX_VALUE ? "" : max) : null;
    }

    /** A string of {@code min..max} characters; null counts as missing, which only {@code min > 0} forbids. */
    public static String length(final String field, final String value, final int min, final int max) {
        if (value == null) {
            return min > 0 ? field + " is missing" : null;
        }
        return value.length() < min || value.length() > max
                ? field + " has " + value.length() + " characters, allowed " + min + ".." + max : null;
    }

    /** At most {@code max} entries, each a string of at most {@value #MAX_ACTION_NAME_LENGTH} characters. */
    public static String list(final String field, final List<String> values, final int max) {
        if (values.size() > max) {
            return field + " has " + values.size() + " entries, at most " + max;
        }
        return values.stream().map(v -> length(field + " entry", v, 0, MAX_ACTION_NAME_LENGTH))
                .filter(p -> p != null).findFirst().orElse(null);
    }

    /** At most {@value #MAX_MAP_ENTRIES} entries with keys and values of bounded length. */
    public static String map(final String field, final Map<String, String> values) {
        if (values.size() > MAX_MAP_ENTRIES) {
            return field + " has " + values.size() + " entries, at most " + MAX_MAP_ENTRIES;
        }
        return values.entrySet().stream()
                .map(e -> firstProblem(length(field + " key", e.getKey(), 1, MAX_LEVEL_LENGTH),
                        length(field + "['" + abbreviate(e.getKey()) + "']", e.getValue(), 0, MAX_MAP_VALUE_LENGTH)))
                .filter(p -> p != null).findFirst().orElse(null);
    }

    /** The first non-null problem, or null. */
    public static String firstProblem(final String... problems) {
        for (final String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Text short enough to quote in an error. */
    public static String abbreviate(final String text) {
        return text == null || text.length() <= 64 ? text : text.substring(0, 64) + "...(" + text.length() + " chars)";
    }
}
