package dev.budgetmeter.producer.internal;

import dev.budgetmeter.schemas.StreamEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Registers the stream-events value schema before a meter's first send, one thread at a time; afterwards it costs
 * one volatile read. Why not let every thread's first send register: Apicurio's Confluent API answers 409 to
 * concurrent first registrations of one subject, and one request instead of one per thread spares the registry.
 * A failed attempt leaves the next caller to try again.
 */
final class SchemaRegistration {

    private final Serializer<StreamEvent> serializer;
    private final String topic;
    private final String registryUrl;
    private final Duration waitBound;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean registered;

    /**
     * @param serializer the producer's value serializer, whose schema-id cache the registration fills
     * @param waitBound  how long a caller waits for another thread's attempt
     */
    SchemaRegistration(final Serializer<StreamEvent> serializer, final String topic, final String registryUrl,
            final Duration waitBound) {
        this.serializer = serializer;
        this.topic = topic;
        this.registryUrl = registryUrl;
        this.waitBound = waitBound;
    }

    /**
     * Makes sure the schema of {@code event} has an id.
     *
     * @throws SerializationException when the registry refused or did not answer in time
     * @throws InterruptException     when interrupted while waiting for another thread's attempt
     */
    void ensureRegistered(final StreamEvent event) {
        if (registered) {
            return;
        }
        acquire();
        try {
            if (!registered) {
                serializer.serialize(topic, event);
                registered = true;
            }
        } finally {
            lock.unlock();
        }
    }

    private void acquire() {
        try {
            if (!lock.tryLock(waitBound.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new SerializationException("schema registry at " + registryUrl + " did not register the "
                        + topic + " schema within " + waitBound.toMillis() + " ms");
            }
        } catch (final InterruptedException e) {
            throw new InterruptException(e);
        }
    }
}
