package dev.budgetmeter.relay;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.topics.Topic;
import dev.budgetmeter.topics.TopicAdmin;
import dev.budgetmeter.topics.TopicDefinition;
import dev.budgetmeter.topics.TopicRegistry;
import dev.budgetmeter.topics.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The relay's topics under a fresh prefix on the real local stack, a producer of commands as the topology writes
 * them, readers of the results and dead letters, and the relay's settings for a Cycles server.
 */
final class RelayDeployment {

    static final int PARTITIONS = 3;

    private final KafkaStack stack;
    private final String prefix;
    private final TopicRegistry topics;

    private RelayDeployment(final KafkaStack stack, final String prefix) {
        this.stack = stack;
        this.prefix = prefix;
        this.topics = TopicRegistry.create(prefix, Map.of("schema.registry.url", stack.schemaRegistryUrl()));
    }

    /** Creates the commands, results and dead-letter topics under a new prefix. */
    static RelayDeployment create(final KafkaStack stack, final String name) {
        final RelayDeployment deployment = new RelayDeployment(stack, name + "-" + UUID.randomUUID().toString()
                .substring(0, 8) + ".");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            final List<NewTopic> created = new ArrayList<>();
            for (final TopicDefinition<String, ?> definition : List.of(Topics.COMMANDS, Topics.COMMAND_RESULTS,
                    Topics.DEAD_LETTERS, Topics.STREAM_EVENTS, Topics.AUDIT)) {
                created.add(new NewTopic(deployment.topics.name(definition), PARTITIONS, (short) 1)
                        .configs(definition.configs()));
            }
            TopicAdmin.createAndAwaitLeaders(admin, created, Duration.ofSeconds(60));
        }
        return deployment;
    }

    String bootstrapServers() {
        return stack.bootstrapServers();
    }

    String schemaRegistryUrl() {
        return stack.schemaRegistryUrl();
    }

    TopicRegistry topics() {
        return topics;
    }

    String prefix() {
        return prefix;
    }

    /** The relay's settings for a server at {@code cyclesUrl}, with short retries for tests. */
    Map<String, Object> relaySettings(final URI cyclesUrl) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", stack.bootstrapServers());
        settings.put(RelayConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl());
        settings.put(RelayConfig.TOPIC_PREFIX_CONFIG, prefix);
        settings.put(RelayConfig.CYCLES_URL_CONFIG, cyclesUrl.toString());
        settings.put(RelayConfig.GROUP_ID_CONFIG, prefix + "relay");
        settings.put(RelayConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        settings.put(RelayConfig.RETRY_INITIAL_MS_CONFIG, 20);
        settings.put(RelayConfig.RETRY_MAX_MS_CONFIG, 500);
        settings.put(RelayConfig.AUTH_PAUSE_MS_CONFIG, 200);
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        return settings;
    }

    /** A producer of commands keyed by reservation id, as the topology's sink writes them. */
    KafkaProducer<String, BudgetCommand> commandProducer() {
        final Topic<String, BudgetCommand> commands = topics.topic(Topics.COMMANDS);
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), commands.valueSerde().serializer());
    }

    void send(final KafkaProducer<String, BudgetCommand> producer, final BudgetCommand command) throws Exception {
        producer.send(new ProducerRecord<>(topics.name(Topics.COMMANDS), command.getReservationId(), command)).get();
    }

    /** Raw bytes into the commands topic, for records the relay cannot read. */
    void sendRaw(final String key, final byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.name(Topics.COMMANDS), key, value)).get();
        }
    }

    /** Every result so far, with the partition it is in. */
    List<ConsumerRecord<String, CommandResult>> results() {
        return readAll(Topics.COMMAND_RESULTS);
    }

    /** Every command the topology committed so far. */
    List<ConsumerRecord<String, BudgetCommand>> commands() {
        return readAll(Topics.COMMANDS);
    }

    List<ConsumerRecord<String, DeadLetter>> deadLetters() {
        return readAll(Topics.DEAD_LETTERS);
    }

    private <V extends org.apache.avro.specific.SpecificRecord> List<ConsumerRecord<String, V>> readAll(
            final TopicDefinition<String, V> definition) {
        final Topic<String, V> topic = topics.topic(definition);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            final List<ConsumerRecord<String, V>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
