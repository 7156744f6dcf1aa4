package dev.budgetmeter.producer;

import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meter-wide accounting of events: counters for {@link MeterMetrics}, and the three channels every failed
 * event reaches (counter, listener, WARN log). Thread-safe; cheap enough for the hot path (striped adders, one
 * increment per accepted event: the totals are sums taken when a snapshot is read).
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
    private final boolean coalescing;
    /** Events handed to Kafka, by {@link EventType#ordinal()}. */
    private final LongAdder[] sentByType = Stream.generate(LongAdder::new).limit(EventType.values().length)
            .toArray(LongAdder[]::new);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder coalescedChunkCalls = new LongAdder();
    private final LongAdder streamsOpened = new LongAdder();
    private final AtomicLong lastWarnAt = new AtomicLong(NEVER);
    private final AtomicLong unloggedFailures = new AtomicLong();

    /**
     * @param coalescing whether the meter's chunk calls coalesce; without, each chunk call that Kafka accepted is one
     *                   chunk event, and a refused one counts as neither, so the calls are not counted separately
     */
    DeliveryReporter(final DeliveryListener listener, final Clock clock, final boolean coalescing) {
        this.listener = listener;
        this.clock = clock;
        this.coalescing = coalescing;
    }

    void accepted(final EventType type) {
        sentByType[type.ordinal()].increment();
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

    /** A chunk call that added to the pending chunks of a coalescing meter. */
    void coalescedChunkCall() {
        coalescedChunkCalls.increment();
    }

    void streamOpened() {
        streamsOpened.increment();
    }

    MeterMetrics snapshot(final int streamsOpen) {
        final long chunkEvents = sentByType[EventType.CHUNK.ordinal()].sum();
        return new MeterMetrics(Arrays.stream(sentByType).mapToLong(LongAdder::sum).sum(), delivered.sum(),
                failed.sum(), refused.sum(), coalescing ? coalescedChunkCalls.sum() : chunkEvents, chunkEvents,
                streamsOpened.sum(), streamsOpen);
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
