package dev.budgetmeter.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.budgetmeter.localstack.KafkaStack;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import dev.budgetmeter.registry.testschema.Payment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * An Avro record round trip through the real broker and the real registry: produced with our serializer, consumed
 * with our deserializer, both built by Kafka from class names as an application would.
 */
@WithKafkaStack
class AvroBrokerRoundTripTest {

    private static final int RECORDS = 50;

    private final KafkaStack stack;
    private final String topic = "avro-round-trip-" + UUID.randomUUID();

    AvroBrokerRoundTripTest(final KafkaStack stack) {
        this.stack = stack;
    }

    @Test
    void specific_records_round_trip_through_the_broker_in_order() throws Exception {
        createTopic();
        final List<Payment> sent = IntStream.range(0, RECORDS)
                .mapToObj(i -> Payment.newBuilder().setId("p-" + i).setAmount(i * 1_000L)
                        .setNote(i % 2 == 0 ? null : "odd").build())
                .toList();

        try (KafkaProducer<String, Payment> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl()))) {
            for (final Payment payment : sent) {
                producer.send(new ProducerRecord<>(topic, payment.getId(), payment));
            }
            producer.flush();
        }

        assertThat(readPayments()).containsExactlyElementsOf(sent);
    }

    private List<Payment> readPayments() {
        try (KafkaConsumer<String, Payment> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl(),
                AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true))) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final List<Payment> received = new ArrayList<>();
            await("payments on " + topic).atMost(Duration.ofSeconds(60)).pollInSameThread().pollDelay(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> received.add(record.value()));
                        return received.size() >= RECORDS;
                    });
            return received;
        }
    }

    private void createTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }
}
