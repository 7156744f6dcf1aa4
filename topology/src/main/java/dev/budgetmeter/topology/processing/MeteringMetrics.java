package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Release;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The metering sensors of one task, registered with Kafka Streams' metrics (so they appear beside the Streams ones,
 * in JMX and in every metrics reporter), in group {@value #GROUP} with {@code task-id} and {@code stage} tags
 * ({@code decode} for input that could not be decoded, {@code lifecycle} for the rest):
 * {@code active-reservations} (gauge), {@code extends-total}, {@code commits-total} by {@code settlement},
 * {@code releases-total} by {@code reason}, {@code debits-total}, {@code dead-letters-total} by {@code reason},
 * {@code duplicate-events-total}, {@code late-events-total}, {@code lapses-total} (holds that lapsed before they could
 * be settled: a crashed or lagging application; alert on any).
 *
 * <p>Release reasons that workers choose freely are counted as {@code worker} so that the number of series stays
 * bounded.
 */
public final class MeteringMetrics {

    public static final String GROUP = "budget-meter-metrics";
    private static final Set<String> KNOWN_RELEASE_REASONS =
            Set.of("stream_error", "cancelled", "idle_timeout", "hold_expired", "max_extensions");

    private final StreamsMetrics streamsMetrics;
    private final String taskId;
    private final String stage;
    /** By metric name, then tag value ("" when untagged). */
    private final Map<String, Map<String, Sensor>> sensors = new HashMap<>();
    private long active;

    MeteringMetrics(final StreamsMetrics streamsMetrics, final String taskId, final String stage) {
        this.streamsMetrics = streamsMetrics;
        this.taskId = taskId;
        this.stage = stage;
    }

    /** Sets the active count after a restore, when the store was scanned once. */
    void initActive(final long count) {
        active = count;
        gauge().record(active);
    }

    /** Counts a dead letter. */
    void recordDeadLetter(final DeadLetterReason reason) {
        count("dead-letters-total", "reason", reason.name());
    }

    /** Counts a command by what it does (the body is an Avro union, hence its type). */
    void recordCommand(final BudgetCommand command) {
        final Object body = command.getBody();
        if (body instanceof Extend) {
            count("extends-total", null, null);
        } else if (body instanceof Commit commit) {
            count("commits-total", "settlement", commit.getSettlement().name());
        } else if (body instanceof Release release) {
            final String reason = KNOWN_RELEASE_REASONS.contains(release.getReason()) ? release.getReason() : "worker";
            count("releases-total", "reason", reason);
        } else if (body instanceof Debit) {
            count("debits-total", null, null);
        }
    }

    /** Counts the transitions the metrics follow, and keeps the active gauge. */
    void recordAudit(final AuditKind kind) {
        switch (kind) {
            case RESERVED -> gauge().record(++active);
            case COMMITTED, RELEASED -> gauge().record(--active);
            case HOLD_LAPSED -> {
                gauge().record(--active);
                count("lapses-total", null, null);
            }
            case DUPLICATE_IGNORED -> count("duplicate-events-total", null, null);
            case LATE_EVENT -> count("late-events-total", null, null);
            default -> { }
        }
    }

    /** Removes this task's sensors when the task closes. */
    void close() {
        sensors.values().forEach(byTag -> byTag.values().forEach(streamsMetrics::removeSensor));
        sensors.clear();
    }

    private Sensor gauge() {
        return sensor("active-reservations", null, null, Value::new, "Reservations of this task not settled yet.");
    }

    private void count(final String name, final String tag, final String tagValue) {
        sensor(name, tag, tagValue, CumulativeCount::new, null).record();
    }

    /**
     * The sensor of a metric and tag value, made on first use. Looked up by name and tag value in two maps, not by
     * its full sensor name: this runs for every command and most audit records, and the lookup then builds no string.
     *
     * @param description null for a count, whose description is made from its name
     */
    private Sensor sensor(final String name, final String tag, final String tagValue,
                          final Supplier<MeasurableStat> stat, final String description) {
        return sensors.computeIfAbsent(name, key -> new HashMap<>()).computeIfAbsent(tag == null ? "" : tagValue,
                key -> {
                    final Sensor sensor = streamsMetrics.addSensor("budget-meter." + taskId + "." + stage + "."
                            + name + (tag == null ? "" : "." + tagValue), Sensor.RecordingLevel.INFO);
                    final Map<String, String> tags = new HashMap<>();
                    tags.put("task-id", taskId);
                    tags.put("stage", stage);
                    if (tag != null) {
                        tags.put(tag, tagValue);
                    }
                    sensor.add(new MetricName(name, GROUP, description != null ? description
                            : "Total " + name.replace("-total", "").replace('-', ' ')
                            + (tag == null ? "" : " by " + tag) + " since the task started.", tags), stat.get());
                    return sensor;
                });
    }
}
