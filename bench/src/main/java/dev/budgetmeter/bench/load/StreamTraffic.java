package dev.budgetmeter.bench.load;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Interleaved traffic of many concurrent simulated streams, like a fleet of workers: a fixed number of streams are
 * open at once and take turns, one event each; a finished stream's slot opens a new stream. Each stream's events
 * keep their order (one key, one partition, one producer). Not thread-safe: one sender thread owns it.
 */
public final class StreamTraffic {

    /** Told when a stream's last event is about to be handed to the producer. */
    @FunctionalInterface
    public interface LastEventListener {

        /** No one listens. */
        LastEventListener NONE = (reservationId, nanos) -> { };

        /**
         * @param reservationId the stream's reservation id
         * @param nanos         {@link System#nanoTime()} right before the send
         */
        void onLastEvent(String reservationId, long nanos);
    }

    private final StreamTemplates templates;
    private final String topic;
    private final Clock clock;
    private final LongSupplier streamNumbers;
    private final LastEventListener listener;
    private final long[] streams;
    private final int[] nextEvent;
    private final AtomicLong started = new AtomicLong();
    private int slot;

    /**
     * @param templates         the stream shape, serialized
     * @param topic             the input topic
     * @param concurrentStreams streams open at once
     * @param clock             the clock of {@code occurred_at}
     * @param streamNumbers     unique stream numbers for new streams
     * @param listener          told about each stream's last event
     */
    public StreamTraffic(final StreamTemplates templates, final String topic, final int concurrentStreams,
                         final Clock clock, final LongSupplier streamNumbers, final LastEventListener listener) {
        this.templates = templates;
        this.topic = topic;
        this.clock = clock;
        this.streamNumbers = streamNumbers;
        this.listener = listener;
        this.streams = new long[concurrentStreams];
        this.nextEvent = new int[concurrentStreams];
        for (int i = 0; i < concurrentStreams; i++) {
            streams[i] = streamNumbers.getAsLong();
        }
    }

    /** The next record of the interleaving. */
    public ProducerRecord<byte[], byte[]> next() {
        final long stream = streams[slot];
        final int index = nextEvent[slot];
        if (index == 0) {
            started.incrementAndGet();
        }
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, EventTemplates.key(stream),
                templates.value(index, stream, clock.millis()));
        if (index + 1 == templates.eventsPerStream()) {
            listener.onLastEvent(EventTemplates.reservationId(stream), System.nanoTime());
            streams[slot] = streamNumbers.getAsLong();
            nextEvent[slot] = 0;
        } else {
            nextEvent[slot] = index + 1;
        }
        slot = (slot + 1) % streams.length;
        return record;
    }

    /** Streams whose first event (the Reserve) {@link #next} returned so far; safe to read from any thread. */
    public long streamsStarted() {
        return started.get();
    }
}
