package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.report.Distribution;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.topics.CommandWatcher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * Times streams from a moment of the sender's (its last event handed to the producer) to their settlement becoming
 * visible on the commands topic, in microseconds. Streams are armed by the sender thread and resolved by the
 * watcher thread: thread-safe.
 */
final class SettlementProbe implements CommandWatcher.SettlementListener {

    private static final long MAX_MICROS = 600_000_000L;

    private final Map<String, Long> armed = new ConcurrentHashMap<>();
    private final Histogram micros = Distribution.newHistogram(MAX_MICROS);
    private final long offsetNanos;

    /** @param offsetNanos subtracted from every measurement, e.g. a configured timeout the delay is expected on top of */
    SettlementProbe(final long offsetNanos) {
        this.offsetNanos = offsetNanos;
    }

    /** Starts timing a stream at {@code nanos}. */
    void arm(final String reservationId, final long nanos) {
        armed.put(reservationId, nanos);
    }

    @Override
    public void onSettled(final String reservationId, final BudgetCommand command, final long nanos) {
        final Long start = armed.remove(reservationId);
        if (start != null) {
            final long value = Math.max(0, (nanos - start - offsetNanos) / 1_000);
            synchronized (micros) {
                micros.recordValue(value);
            }
        }
    }

    /** Streams armed and not settled yet. */
    int pending() {
        return armed.size();
    }

    /** Streams measured. */
    long measured() {
        synchronized (micros) {
            return micros.getTotalCount();
        }
    }

    /** Streams measured at no more than {@code maxMicros}. */
    long countAtMost(final long maxMicros) {
        synchronized (micros) {
            return micros.getCountBetweenValues(0, maxMicros);
        }
    }

    /** What was measured, in milliseconds. */
    Distribution millis() {
        synchronized (micros) {
            return Distribution.of(micros, 1_000.0, "ms");
        }
    }
}
