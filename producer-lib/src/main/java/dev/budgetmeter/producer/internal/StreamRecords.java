package dev.budgetmeter.producer.internal;

/**
 * The Kafka records of one stream: its key and reservation id, encoded once when the stream opens, and the values
 * of its events from the meter's {@link EventEncoder}. Immutable; thread-safe.
 */
public final class StreamRecords {

    private final EventEncoder encoder;
    private final String reservationId;
    private final byte[] key;
    private final byte[] reservationIdBytes;

    StreamRecords(final EventEncoder encoder, final String reservationId, final byte[] key,
            final byte[] reservationIdBytes) {
        this.encoder = encoder;
        this.reservationId = reservationId;
        this.key = key;
        this.reservationIdBytes = reservationIdBytes;
    }

    public String reservationId() {
        return reservationId;
    }

    /** The key of every record of the stream; never modified, so one array serves them all. */
    public byte[] key() {
        return key;
    }

    /**
     * The value of the stream's event {@code seq}.
     *
     * @throws RuntimeException what the event serializer throws, for example when the registry is unreachable
     */
    public byte[] value(final long seq, final long occurredAtMillis, final Object body) {
        return encoder.encode(this, seq, occurredAtMillis, body);
    }

    /** The reservation id as the Avro string field of an event. */
    byte[] reservationIdBytes() {
        return reservationIdBytes;
    }
}
