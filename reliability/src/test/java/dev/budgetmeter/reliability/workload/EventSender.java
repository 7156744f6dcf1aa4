package dev.budgetmeter.reliability.workload;

import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topics.Topic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes stream events like a worker does (idempotent, acks=all, keyed by reservation id) and keeps the producer's
 * own truth: which events the broker acknowledged and which failed. Expectations are built from the acknowledged
 * ones only, so a fault that makes a send fail is accounted for honestly instead of counted as a loss of the
 * pipeline. Thread-safe.
 */
public final class EventSender implements AutoCloseable {

    /** Long enough to ride out a broker restart: a send fails only after this. */
    private static final int DELIVERY_TIMEOUT_MS = 120_000;

    private final KafkaProducer<String, StreamEvent> producer;
    private final String topic;
    private final Queue<StreamEvent> acknowledged = new ConcurrentLinkedQueue<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();

    /**
     * @param connection {@code bootstrap.servers}, any security settings, and further producer settings
     * @param topic      the input topic with its serdes
     */
    public EventSender(final Map<String, Object> connection, final Topic<String, StreamEvent> topic) {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        properties.putAll(connection);
        this.producer = new KafkaProducer<>(properties, topic.keySerde().serializer(),
                topic.valueSerde().serializer());
        this.topic = topic.name();
    }

    /** Sends one event; its acknowledgement or failure is recorded when the broker answers. */
    public void send(final StreamEvent event) {
        sent.incrementAndGet();
        producer.send(new ProducerRecord<>(topic, event.getReservationId(), event), (metadata, error) -> {
            if (error == null) {
                acknowledged.add(event);
            } else {
                failures.add(event.getEventId() + ": " + error);
            }
        });
    }

    public void sendAll(final List<StreamEvent> events) {
        events.forEach(this::send);
    }

    /** Waits until every event sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    /** The events the broker acknowledged, in acknowledgement order. */
    public List<StreamEvent> acknowledged() {
        return new ArrayList<>(acknowledged);
    }

    /** One line per event whose send failed. */
    public List<String> failures() {
        return new ArrayList<>(failures);
    }

    public int sent() {
        return sent.get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
