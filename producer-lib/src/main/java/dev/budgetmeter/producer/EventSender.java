package dev.budgetmeter.producer;

import dev.budgetmeter.producer.internal.EventEncoder;
import dev.budgetmeter.producer.internal.MeterSettings;
import dev.budgetmeter.producer.internal.StreamRecords;
import java.time.Duration;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Encodes events, hands them to the meter's Kafka producer and routes every outcome: accepted events to the meter's
 * counters and, once Kafka answers, to the stream's {@link StreamDelivery}; refused and failed events additionally to
 * the {@link DeliveryReporter}. Thread-safe.
 *
 * <p>{@code send} is where a caller may wait: Kafka's producer blocks for metadata (an unreachable broker or a
 * missing topic) and for buffer space up to {@code max.block.ms}. It reports those refusals through the callback on
 * the calling thread instead of throwing; this class turns them, and anything {@code send} throws, into one
 * {@link DeliveryFailedException} with a message that names the cause in the operator's terms. An event the
 * serializer could not encode (the schema registry did not answer) is refused the same way.
 */
final class EventSender {

    private final Producer<byte[], byte[]> producer;
    private final EventEncoder encoder;
    private final String topic;
    private final String bootstrapServers;
    private final Duration blockTimeout;
    private final DeliveryReporter reporter;

    /** Sends to {@code topic} with the bootstrap servers and block timeout of {@code settings}, which name a refusal. */
    EventSender(final Producer<byte[], byte[]> producer, final EventEncoder encoder, final String topic,
            final MeterSettings settings, final DeliveryReporter reporter) {
        this.producer = producer;
        this.encoder = encoder;
        this.topic = topic;
        this.bootstrapServers = settings.bootstrapServers();
        this.blockTimeout = settings.blockTimeout();
        this.reporter = reporter;
    }

    /** The shared parts of the records of a stream that opens now. */
    StreamRecords forStream(final String reservationId) {
        return encoder.forStream(reservationId);
    }

    /**
     * Encodes the stream's event {@code seq} and hands it to Kafka, keyed by the reservation id. Returns once Kafka
     * accepted it (the outcome then reaches {@code delivery} on a producer thread, in send order per stream).
     *
     * @param body one of the bodies of the stream-events schema
     * @throws DeliveryFailedException when Kafka did not accept it within the block timeout, or the schema registry
     *                                 did not answer, or it could not be serialized
     */
    void send(final StreamRecords stream, final long seq, final long occurredAtMillis, final EventType type,
            final Object body, final StreamDelivery delivery) {
        final EventCallback callback = new EventCallback(stream.reservationId(), seq, type, delivery);
        RuntimeException refusal;
        try {
            producer.send(new ProducerRecord<>(topic, stream.key(),
                    encoder.encode(stream, seq, occurredAtMillis, body)), callback);
            refusal = callback.refusalDuringSend();
        } catch (final RuntimeException e) {
            refusal = e;
        } finally {
            callback.sendReturned();
        }
        if (refusal != null) {
            final DeliveryFailedException failure = new DeliveryFailedException(
                    describe(stream.reservationId(), seq, type) + " was not sent: " + refusalReason(refusal),
                    stream.reservationId(), seq, type, refusal);
            reporter.refused(failure);
            throw failure;
        }
        reporter.accepted(type);
    }

    private String refusalReason(final RuntimeException refusal) {
        final long boundMs = blockTimeout.toMillis();
        if (refusal instanceof BufferExhaustedException) {
            return "the producer buffer stayed full for " + boundMs + " ms (max.block.ms); Kafka at "
                    + bootstrapServers + " is slow or unreachable: " + refusal.getMessage();
        }
        if (refusal instanceof TimeoutException) {
            return "Kafka broker not reachable at " + bootstrapServers + " within " + boundMs
                    + " ms (max.block.ms), or topic " + topic + " does not exist: " + refusal.getMessage();
        }
        return refusal.getClass().getSimpleName() + ": " + refusal.getMessage();
    }

    private static String describe(final String reservationId, final long seq, final EventType type) {
        return type + " (seq " + seq + ") of reservation " + reservationId;
    }

    /**
     * The outcome of one send. Kafka calls it on the calling thread, inside {@code send}, when it refuses the
     * record; otherwise later on its I/O thread.
     */
    private final class EventCallback implements Callback {

        private final String reservationId;
        private final long seq;
        private final EventType type;
        private final StreamDelivery delivery;
        private final Thread sendingThread = Thread.currentThread();
        // Both only touched by sendingThread.
        private boolean sendReturned;
        private RuntimeException refusal;

        EventCallback(final String reservationId, final long seq, final EventType type,
                final StreamDelivery delivery) {
            this.reservationId = reservationId;
            this.seq = seq;
            this.type = type;
            this.delivery = delivery;
        }

        @Override
        public void onCompletion(final RecordMetadata metadata, final Exception exception) {
            if (Thread.currentThread() == sendingThread && !sendReturned) {
                refusal = exception instanceof RuntimeException runtime
                        ? runtime : new IllegalStateException(exception);
                return;
            }
            if (exception == null) {
                reporter.delivered();
                delivery.delivered(type);
                return;
            }
            final DeliveryFailedException failure = new DeliveryFailedException(
                    describe(reservationId, seq, type) + " was not written to " + topic + ": "
                            + exception.getClass().getSimpleName() + ": " + exception.getMessage(),
                    reservationId, seq, type, exception);
            reporter.failed(failure);
            delivery.failed(type, failure);
        }

        RuntimeException refusalDuringSend() {
            return refusal;
        }

        void sendReturned() {
            sendReturned = true;
        }
    }
}
