package dev.budgetmeter.bench.load;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The load generator's producer: pre-serialized bytes, with the producer library's own settings (acks=all,
 * idempotent, lz4, 64 KiB batches) so the input looks like what workers write, and a short linger.
 */
public final class LoadProducers {

    private LoadProducers() {
    }

    /** A producer of byte records to {@code bootstrapServers}. */
    public static KafkaProducer<byte[], byte[]> create(final String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "bench-load",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
