package dev.budgetmeter.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.awaitility.Awaitility.await;

/** Plain Kafka clients for the stack's tests: topics, a transactional producer, consumers by isolation level. */
final class KafkaTestClients {

    static final String READ_COMMITTED = "read_committed";
    static final String READ_UNCOMMITTED = "read_uncommitted";

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private KafkaTestClients() {
    }

    /** Creates a topic with one replica and waits for the broker to confirm it. */
    static void createTopic(final String bootstrapServers, final String topic, final int partitions)
            throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** A producer with the given transactional id, already past {@code initTransactions()}. */
    static KafkaProducer<String, String> transactionalProducer(final String bootstrapServers,
            final String transactionalId) {
        final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        producer.initTransactions();
        return producer;
    }

    /**
     * Reads partition 0 of {@code topic} from the start with the given isolation level until {@code expected} values
     * arrived (at most 60 s), and returns them in offset order.
     */
    static List<String> readValues(final String bootstrapServers, final String topic, final String isolationLevel,
            final int expected) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final List<String> values = new ArrayList<>();
            await("values of " + topic).atMost(READ_TIMEOUT).pollInSameThread().pollDelay(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(POLL).forEach(record -> values.add(record.value()));
                        return values.size() >= expected;
                    });
            return values;
        }
    }
}
