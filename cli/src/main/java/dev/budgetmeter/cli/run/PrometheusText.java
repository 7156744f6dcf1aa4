package dev.budgetmeter.cli.run;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Kafka metrics in the Prometheus text exposition format (version 0.0.4). A metric {@code name} of group
 * {@code group} becomes the family {@code group_name}, sanitized to {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; its tags become
 * labels. Only numeric values are written. Families whose name ends in {@code _total} are counters, the rest gauges.
 */
public final class PrometheusText {

    /** The content type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern INVALID_NAME = Pattern.compile("[^a-zA-Z0-9_:]");
    private static final Pattern INVALID_LABEL = Pattern.compile("[^a-zA-Z0-9_]");

    private PrometheusText() {
    }

    /** The exposition text of every numeric metric, families sorted by name. */
    public static String format(final Map<MetricName, ? extends Metric> metrics) {
        final Map<String, Family> families = new TreeMap<>();
        metrics.forEach((name, metric) -> {
            if (metric.metricValue() instanceof Number value) {
                families.computeIfAbsent(familyName(name), family -> new Family(name.description(), new TreeMap<>()))
                        .samples().put(labels(name.tags()), value.doubleValue());
            }
        });
        final StringBuilder text = new StringBuilder();
        families.forEach((family, samples) -> {
            if (!samples.help().isBlank()) {
                text.append("# HELP ").append(family).append(' ').append(escapeHelp(samples.help())).append('\n');
            }
            text.append("# TYPE ").append(family).append(family.endsWith("_total") ? " counter\n" : " gauge\n");
            samples.samples().forEach((labels, value) ->
                    text.append(family).append(labels).append(' ').append(number(value)).append('\n'));
        });
        return text.toString();
    }

    static String familyName(final MetricName name) {
        final String sanitized = INVALID_NAME.matcher(name.group() + "_" + name.name()).replaceAll("_");
        return Character.isDigit(sanitized.charAt(0)) ? "_" + sanitized : sanitized;
    }

    private static String labels(final Map<String, String> tags) {
        if (tags.isEmpty()) {
            return "";
        }
        final List<String> pairs = new TreeMap<>(tags).entrySet().stream()
                .map(tag -> labelName(tag.getKey()) + "=\"" + escapeLabel(tag.getValue()) + "\"").toList();
        return "{" + String.join(",", pairs) + "}";
    }

    private static String labelName(final String tag) {
        final String sanitized = INVALID_LABEL.matcher(tag).replaceAll("_");
        return Character.isDigit(sanitized.charAt(0)) ? "_" + sanitized : sanitized;
    }

    private static String escapeLabel(final String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(final String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String number(final double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value) : String.format(Locale.ROOT, "%s", value);
    }

    /** The samples of one family, by label text. */
    private record Family(String help, Map<String, Double> samples) {
    }
}
