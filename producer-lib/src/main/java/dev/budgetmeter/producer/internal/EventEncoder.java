package dev.budgetmeter.producer.internal;

import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.StreamEvent;
import java.util.Arrays;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of a meter's Kafka records: each stream's key, and its events in the topic's value format (the event
 * serializer's: schema registry id, then Avro binary). Reserve, usage and end events go through the serializer.
 * Chunk events, the hot path without coalescing, are written by a {@link ChunkLayout} at a fraction of the cost.
 * The meter's first chunk event goes through the serializer too and the layout is derived from it (its schema id);
 * the layout is used only if it reproduced that event byte for byte, so with a {@code StreamEvent} schema the layout
 * does not know (another schemas jar) chunk events stay correct, only slower. Thread-safe.
 *
 * <p>The serializer asks the registry on the meter's first event: {@code encode} may then wait for it and throw
 * whatever the serializer throws.
 */
public final class EventEncoder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventEncoder.class);

    private final String topic;
    private final Serializer<String> keySerializer;
    private final Serializer<StreamEvent> valueSerializer;
    private final StreamEventFactory events;
    /** Null until the meter's first chunk event, and for good when the layout did not reproduce it. */
    private volatile ChunkLayout chunkLayout;
    private volatile boolean chunkLayoutChecked;

    public EventEncoder(final String topic, final Serializer<String> keySerializer,
            final Serializer<StreamEvent> valueSerializer, final StreamEventFactory events) {
        this.topic = topic;
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
        this.events = events;
    }

    /** The shared parts of one stream's records; its key and reservation id are encoded once, here. */
    public StreamRecords forStream(final String reservationId) {
        return new StreamRecords(reservationId, keySerializer.serialize(topic, reservationId),
                ChunkLayout.string(reservationId));
    }

    /**
     * The value of the event {@code seq} of {@code stream}; {@code body} is one of the bodies of the stream-events
     * schema.
     *
     * @throws RuntimeException what the event serializer throws, for example when the registry is unreachable
     */
    public byte[] encode(final StreamRecords stream, final long seq, final long occurredAtMillis, final Object body) {
        if (!(body instanceof Chunk chunk)) {
            return serialize(StreamEventFactory.newEventId(), stream, seq, occurredAtMillis, body);
        }
        final UUID eventId = StreamEventFactory.newEventId();
        final ChunkLayout layout = chunkLayout;
        if (layout != null) {
            return layout.write(eventId, stream.reservationIdBytes(), seq, occurredAtMillis, chunk);
        }
        final byte[] serialized = serialize(eventId, stream, seq, occurredAtMillis, chunk);
        if (!chunkLayoutChecked) {
            check(ChunkLayout.of(serialized, events.producer()),
                    serialized, eventId, stream, seq, occurredAtMillis, chunk);
        }
        return serialized;
    }

    /** Whether chunk events are written by the layout: after the meter's first one, unless it did not match. */
    public boolean writesChunksDirectly() {
        return chunkLayout != null;
    }

    /** Closes the serializers (and with them the registry client). */
    @Override
    public void close() {
        try {
            keySerializer.close();
        } finally {
            valueSerializer.close();
        }
    }

    private byte[] serialize(final UUID eventId, final StreamRecords stream, final long seq,
            final long occurredAtMillis, final Object body) {
        return valueSerializer.serialize(topic,
                events.event(eventId.toString(), stream.reservationId(), seq, occurredAtMillis, body));
    }

    /** Two threads may check at once; both reach the same verdict. */
    private void check(final ChunkLayout candidate, final byte[] serialized, final UUID eventId,
            final StreamRecords stream, final long seq, final long occurredAtMillis, final Chunk chunk) {
        if (Arrays.equals(serialized, candidate.write(eventId, stream.reservationIdBytes(), seq, occurredAtMillis,
                chunk))) {
            chunkLayout = candidate;
        } else {
            LOG.warn("The StreamEvent schema on the class path is not the one this library's fast chunk encoding"
                    + " was written for; every chunk event goes through the Avro serializer (correct, slower)");
        }
        chunkLayoutChecked = true;
    }
}
