package dev.budgetmeter.cli.audit;

import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicDefinition;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Utils;

/**
 * Loads the commands, audit and dead-letter topics of one deployment for the {@link LedgerOracle}: each partition
 * from its beginning to the end offset it had when reading started, with read_committed, so aborted transactions and
 * open ones are left out. Uses no consumer group and commits nothing, so it can run beside the application.
 */
public final class LedgerReader {

    private final Map<String, Object> connection;
    private final TopicRegistry topics;
    private final Duration timeout;

    /**
     * @param timeout bound on reading one topic to its end; past it the read fails with a {@link TimeoutException}
     */
    public LedgerReader(final String bootstrapServers, final TopicRegistry topics, final Duration timeout) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics, timeout);
    }

    /**
     * @param connection {@code bootstrap.servers} and any security settings (an auditor's principal needs READ on
     *                   the three topics, no group)
     * @param timeout    bound on reading one topic to its end; past it the read fails with a {@link TimeoutException}
     */
    public LedgerReader(final Map<String, Object> connection, final TopicRegistry topics, final Duration timeout) {
        this.connection = Map.copyOf(connection);
        this.topics = topics;
        this.timeout = timeout;
    }

    /** Every record of the three topics. */
    public LedgerSnapshot readAll() {
        return new LedgerSnapshot(read(Topics.COMMANDS, key -> true, partitions -> partitions),
                read(Topics.AUDIT, key -> true, partitions -> partitions),
                read(Topics.DEAD_LETTERS, key -> true, partitions -> partitions));
    }

    /**
     * The records of one reservation. Reads only the partition its key hashes to (the producer's default
     * partitioner), so a lookup does not scan the whole topic.
     */
    public LedgerSnapshot readReservation(final String reservationId) {
        final Predicate<String> sameKey = reservationId::equals;
        final UnaryOperator<List<TopicPartition>> itsPartition = partitions -> List.of(
                partitions.get(partitionOf(reservationId, partitions.size())));
        return new LedgerSnapshot(read(Topics.COMMANDS, sameKey, itsPartition),
                read(Topics.AUDIT, sameKey, itsPartition),
                read(Topics.DEAD_LETTERS, sameKey, partitions -> partitions));
    }

    /** The partition the producer's default partitioner puts a string key in. */
    static int partitionOf(final String key, final int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private <V extends SpecificRecord> List<V> read(final TopicDefinition<String, V> definition,
                                                     final Predicate<String> keys,
                                                     final UnaryOperator<List<TopicPartition>> choose) {
        final Topic<String, V> topic = topics.topic(definition);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerProperties(),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            final List<TopicPartition> partitions = choose.apply(partitions(consumer, topic.name()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            final long deadline = System.nanoTime() + timeout.toNanos();
            final List<V> values = new ArrayList<>();
            while (!reached(consumer, end)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new TimeoutException("reading " + topic.name() + " to its end took longer than " + timeout);
                }
                for (final ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && keys.test(record.key())) {
                        values.add(record.value());
                    }
                }
            }
            return values;
        }
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
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "budget-meter-ledger-reader");
        return properties;
    }
}
