package dev.budgetmeter.producer.internal;

import dev.budgetmeter.producer.DeliveryFailedException;
import dev.budgetmeter.producer.DeliveryListener;
import dev.budgetmeter.producer.EventType;
import dev.budgetmeter.producer.MeterMetrics;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meter-wide accounting of events: counters for {@link MeterMetrics}, and the three channels every failed
 * event reaches (counter, listener, WARN log). Thread-safe; cheap enough for the hot path (striped adders).
 *
 * <p>The WARN log is limited to one line per second, with the number of failures left out since the previous line,
 * because an unreachable broker fails every event of every stream at once.
 */
final class DeliveryReporter {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReporter.class);
    private static final long WARN_INTERVAL_MS = 1_000;
    private static final long NEVER = Long.MIN_VALUE;

    private final DeliveryListener listener;
    private final Clock clock;
    private final LongAdder sent = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder chunkCalls = new LongAdder();
    private final LongAdder chunkEvents = new LongAdder();
    private final LongAdder streamsOpened = new LongAdder();
    private final AtomicLong lastWarnAt = new AtomicLong(NEVER);
    private final AtomicLong unloggedFailures = new AtomicLong();

    DeliveryReporter(final DeliveryListener listener, final Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    void accepted(final EventType type) {
        sent.increment();
        if (type == EventType.CHUNK) {
            chunkEvents.increment();
        }
    }

    void delivered() {
        delivered.increment();
    }

    /** An accepted event was not written. */
    void failed(final DeliveryFailedException failure) {
        failed.increment();
        tell(failure);
    }

    /** An event was not accepted at all. */
    void refused(final DeliveryFailedException failure) {
        refused.increment();
        tell(failure);
    }

    void chunkCall() {
        chunkCalls.increment();
    }

    void streamOpened() {
        streamsOpened.increment();
    }

    MeterMetrics snapshot(final int streamsOpen) {
        return new MeterMetrics(sent.sum(), delivered.sum(), failed.sum(), refused.sum(), chunkCalls.sum(),
                chunkEvents.sum(), streamsOpened.sum(), streamsOpen);
    }

    private void tell(final DeliveryFailedException failure) {
        warn(failure);
        try {
            listener.onDeliveryFailure(failure);
        } catch (final RuntimeException e) {
            LOG.warn("The delivery listener threw on a failure of reservation {}", failure.reservationId(), e);
        }
    }

    private void warn(final DeliveryFailedException failure) {
        final long now = clock.millis();
        final long last = lastWarnAt.get();
        if ((last == NEVER || now - last >= WARN_INTERVAL_MS) && lastWarnAt.compareAndSet(last, now)) {
            final long unlogged = unloggedFailures.getAndSet(0);
            LOG.warn("{}{}", failure.getMessage(),
                    unlogged == 0 ? "" : " (and " + unlogged + " more failed events since the previous warning)");
        } else {
            unloggedFailures.incrementAndGet();
        }
    }
}
