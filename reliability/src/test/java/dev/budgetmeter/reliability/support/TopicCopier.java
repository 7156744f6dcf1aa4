package dev.budgetmeter.reliability.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Copies a topic's records byte for byte into another topic with as many partitions: same partition, same key,
 * value and timestamp, in offset order, so the copy is the same input as the original for a fresh application.
 */
public final class TopicCopier {

    private TopicCopier() {
    }

    /**
     * Copies every record {@code from} holds now into {@code to}, waits until the copies are acknowledged.
     *
     * @return the number of records copied
     */
    public static int copy(final String bootstrapServers, final String from, final String to, final Duration bound)
            throws InterruptedException, ExecutionException {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                     ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(from, bound).stream()
                    .map(info -> new TopicPartition(from, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, bound);
            final long deadline = System.nanoTime() + bound.toNanos();
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("copying " + from + " took longer than " + bound);
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    sent.add(producer.send(new ProducerRecord<>(to, record.partition(), record.timestamp(),
                            record.key(), record.value())));
                }
            }
            producer.flush();
            for (final Future<RecordMetadata> future : sent) {
                future.get();
            }
            return sent.size();
        }
    }
}
