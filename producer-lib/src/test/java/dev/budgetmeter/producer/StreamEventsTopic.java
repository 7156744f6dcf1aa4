package dev.budgetmeter.producer;

import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.registry.serde.AvroSerdeConfig;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.TopicAdmin;
import dev.budgetmeter.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A stream-events topic of one test on the shared stack: created under a prefix of its own (so tests never see each
 * other's events), with meters pointed at it and a consumer that reads it with the project's Avro deserializer.
 */
final class StreamEventsTopic implements AutoCloseable {

    private static final Duration BOUND = Duration.ofSeconds(60);

    private final KafkaStack stack;
    private final String prefix;
    private final Topic<String, StreamEvent> topic;
    private final List<ConsumerRecord<String, StreamEvent>> received = new ArrayList<>();
    private final KafkaConsumer<String, StreamEvent> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();

    private StreamEventsTopic(final KafkaStack stack, final String prefix) {
        this.stack = stack;
        this.prefix = prefix;
        this.topic = TopicRegistry.create(prefix,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl()))
                .topic(Topics.STREAM_EVENTS);
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    /** Creates the topic as the deployment would (the registry's name, partitions and settings). */
    static StreamEventsTopic create(final KafkaStack stack) {
        return create(stack, Map.of());
    }

    /** Creates the topic with some settings changed. */
    static StreamEventsTopic create(final KafkaStack stack, final Map<String, String> topicConfigOverrides) {
        final StreamEventsTopic created = new StreamEventsTopic(stack,
                "it-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        created.createTopic(topicConfigOverrides);
        return created;
    }

    /** A meter builder for this topic, with a test worker id. */
    BudgetMeter.Builder meter() {
        return BudgetMeter.builder().bootstrapServers(stack.bootstrapServers())
                .schemaRegistryUrl(stack.schemaRegistryUrl()).topicPrefix(prefix).workerId("test-worker");
    }

    String name() {
        return topic.name();
    }

    /** The topic prefix of this test: other topics of the same deployment go under it. */
    String prefix() {
        return prefix;
    }

    /** Every record written so far: reads up to the current end of every partition. */
    List<ConsumerRecord<String, StreamEvent>> readAll() {
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        await("records of " + name() + " up to " + ends).atMost(BOUND).pollInSameThread().pollDelay(Duration.ZERO)
                .until(() -> {
                    pollOnce();
                    return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
                });
        return List.copyOf(received);
    }

    /** The events of every stream written so far, each in topic order. */
    Map<String, List<StreamEvent>> streams() {
        final Map<String, List<StreamEvent>> byReservation = new LinkedHashMap<>();
        readAll().forEach(record -> byReservation.computeIfAbsent(record.key(), key -> new ArrayList<>())
                .add(record.value()));
        return byReservation;
    }

    /** The events of one stream written so far, in topic order. */
    List<StreamEvent> stream(final String reservationId) {
        return streams().getOrDefault(reservationId, List.of());
    }

    /** Waits until the events of one stream satisfy a condition; returns them. */
    List<StreamEvent> awaitStream(final String reservationId, final Predicate<List<StreamEvent>> condition) {
        final List<StreamEvent> events = new ArrayList<>();
        await("events of " + reservationId).atMost(BOUND).pollInSameThread().pollDelay(Duration.ZERO).until(() -> {
            pollOnce();
            events.clear();
            received.stream().filter(record -> record.key().equals(reservationId))
                    .forEach(record -> events.add(record.value()));
            return condition.test(events);
        });
        return events;
    }

    @Override
    public void close() {
        consumer.close();
    }

    private void pollOnce() {
        consumer.poll(Duration.ofMillis(100)).forEach(received::add);
    }

    private void createTopic(final Map<String, String> configOverrides) {
        final Map<String, String> configs = new HashMap<>(Topics.STREAM_EVENTS.configs());
        configs.putAll(configOverrides);
        final int partitionCount = Topics.STREAM_EVENTS.defaultPartitions();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            TopicAdmin.createAndAwaitLeaders(admin,
                    List.of(new NewTopic(name(), partitionCount, (short) 1).configs(configs)), BOUND);
        }
        for (int partition = 0; partition < partitionCount; partition++) {
            partitions.add(new TopicPartition(name(), partition));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }
}
