package dev.budgetmeter.cli.topics;

import dev.budgetmeter.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads a topic of one deployment from the beginning of its partitions to the end offsets they had when reading
 * started, with read_committed, so aborted and open transactions are left out; each partition in order. Uses no
 * consumer group and commits nothing, so it can run beside the application. Every read is bounded.
 */
public final class TopicToEnd {

    private final Map<String, Object> connection;
    private final Duration timeout;
    private final String clientId;

    /**
     * @param timeout bound on reading one topic to its end; past it the read fails with a {@link TimeoutException}
     */
    public TopicToEnd(final String bootstrapServers, final Duration timeout, final String clientId) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), timeout, clientId);
    }

    /**
     * @param connection {@code bootstrap.servers} and any security settings (SASL, TLS) of the reading principal,
     *                   which needs READ and DESCRIBE on the topic, no group
     * @param timeout    bound on reading one topic to its end; past it the read fails with a {@link TimeoutException}
     */
    public TopicToEnd(final Map<String, Object> connection, final Duration timeout, final String clientId) {
        this.connection = Map.copyOf(connection);
        this.timeout = timeout;
        this.clientId = clientId;
    }

    /** Every record of every partition, in partition order, to {@code each} (tombstones included). */
    public <V> void read(final Topic<String, V> topic, final BiConsumer<String, V> each) {
        read(topic, partitions -> partitions, each);
    }

    /** Every record of the partitions {@code choose} picks from the topic's partitions, sorted by number. */
    public <V> void read(final Topic<String, V> topic, final UnaryOperator<List<TopicPartition>> choose,
                         final BiConsumer<String, V> each) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerProperties(),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            final List<TopicPartition> partitions = choose.apply(partitions(consumer, topic.name()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new TimeoutException("reading " + topic.name() + " to its end took longer than " + timeout);
                }
                for (final ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(record.key(), record.value());
                }
            }
        }
    }

    /** As {@link #read(Topic, BiConsumer)}, or false (nothing read) when the topic does not exist. */
    public <V> boolean readIfPresent(final Topic<String, V> topic, final BiConsumer<String, V> each) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerProperties(),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
            if (infos == null || infos.isEmpty()) {
                return false;
            }
        }
        read(topic, each);
        return true;
    }

    /** The partition Kafka's default partitioner puts a string key in. */
    public static int partitionOf(final String key, final int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private List<TopicPartition> partitions(final KafkaConsumer<String, ?> consumer, final String topic) {
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist at "
                    + connection.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + " (create it with: budget-meter topics)");
        }
        final List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return partitions;
    }

    private static boolean reached(final KafkaConsumer<String, ?> consumer, final Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(entry -> consumer.position(entry.getKey()) >= entry.getValue());
    }

    private Map<String, Object> consumerProperties() {
        final Map<String, Object> properties = new HashMap<>(connection);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return properties;
    }
}
