package dev.budgetmeter.producer.internal;

import dev.budgetmeter.schemas.ProducerInfo;
import dev.budgetmeter.schemas.StreamEvent;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Wraps event bodies into {@link StreamEvent} envelopes naming this worker and library. Thread-safe. */
public final class StreamEventFactory {

    private final ProducerInfo producer;

    public StreamEventFactory(final String workerId) {
        // One shared instance: the envelopes only read it.
        this.producer = new ProducerInfo(workerId, LibraryVersion.CURRENT);
    }

    /** The envelope of {@code body}; {@code eventId} is from {@link #newEventId()}. */
    StreamEvent event(final String eventId, final String reservationId, final long seq, final long occurredAtMillis,
            final Object body) {
        return new StreamEvent(eventId, reservationId, seq, Instant.ofEpochMilli(occurredAtMillis), producer, body);
    }

    /** This worker and library, as every envelope names them. */
    ProducerInfo producer() {
        return producer;
    }

    /**
     * A random version-4 UUID. Event ids must be unique, not unpredictable: a thread-local generator avoids
     * {@link UUID#randomUUID()}'s shared SecureRandom, which many streaming threads would contend on.
     */
    static UUID newEventId() {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final long mostSignificant = (random.nextLong() & ~0xF000L) | 0x4000L;
        final long leastSignificant = (random.nextLong() & ~(0xCL << 60)) | (0x8L << 60);
        return new UUID(mostSignificant, leastSignificant);
    }
}
