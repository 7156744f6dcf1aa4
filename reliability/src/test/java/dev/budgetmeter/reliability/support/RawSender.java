package dev.budgetmeter.reliability.support;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes arbitrary key and value bytes to a topic, as a broken or hostile producer would, and returns where each
 * record landed, so that a dead letter can be matched to the record it came from. Accepts values up to the broker's
 * default message size limit.
 */
public final class RawSender implements AutoCloseable {

    /** Above the broker's default message.max.bytes, so the broker, not this client, decides what is too large. */
    private static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;

    private final KafkaProducer<byte[], byte[]> producer;

    public RawSender(final String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * MAX_REQUEST_BYTES),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Writes one record and waits for the broker's acknowledgement. */
    public RecordMetadata send(final String topic, final byte[] key, final byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("the broker refused a record for " + topic, e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
