package dev.budgetmeter.reliability.support;

import dev.budgetmeter.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the records of aborted transactions in a topic: those a read_uncommitted reader sees and a read_committed
 * one does not. After a {@code kill -9} under exactly-once this is the half-done output the oracle must never see,
 * evidence that the fault hit an open transaction.
 */
public final class AbortedRecords {

    private AbortedRecords() {
    }

    /** Records of aborted (or open) transactions in a deployment's commands and audit topics now. */
    public static long inOutputs(final ScenarioDeployment deployment, final Duration bound) {
        return in(deployment.adminProperties(), deployment.topics().name(Topics.COMMANDS), bound)
                + in(deployment.adminProperties(), deployment.topics().name(Topics.AUDIT), bound);
    }

    /** Records of aborted (or still open) transactions in {@code topic} now, read with {@code connection}. */
    public static long in(final Map<String, Object> connection, final String topic, final Duration bound) {
        return count(connection, topic, IsolationLevel.READ_UNCOMMITTED, bound)
                - count(connection, topic, IsolationLevel.READ_COMMITTED, bound);
    }

    private static long count(final Map<String, Object> connection, final String topic,
                              final IsolationLevel isolation, final Duration bound) {
        final Map<String, Object> properties = new HashMap<>(connection);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, bound).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, bound);
            final long deadline = System.nanoTime() + bound.toNanos();
            long records = 0;
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " took longer than " + bound);
                }
                records += consumer.poll(Duration.ofMillis(200)).count();
            }
            return records;
        }
    }
}
