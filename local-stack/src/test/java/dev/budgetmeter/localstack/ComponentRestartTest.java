package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.ConfluentRegistryHttp;
import dev.budgetmeter.localstack.junit.WithKafkaStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static dev.budgetmeter.localstack.KafkaTestClients.READ_COMMITTED;
import static org.assertj.core.api.Assertions.assertThat;

/** Stops and restarts the parts of the shared stack, leaving both running afterwards. */
@WithKafkaStack
class ComponentRestartTest {

    private static final String SCHEMA =
            "{\"type\":\"record\",\"name\":\"Probe\",\"namespace\":\"dev.budgetmeter.test\","
                    + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";

    @Test
    void broker_restarts_on_the_same_port_with_its_committed_data(final LocalKafkaStack stack) throws Exception {
        // Given committed records
        final String topic = "restart-test";
        KafkaTestClients.createTopic(stack.bootstrapServers(), topic, 1);
        try (KafkaProducer<String, String> producer =
                     KafkaTestClients.transactionalProducer(stack.bootstrapServers(), "restart-test-tx")) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "before-restart"));
            producer.commitTransaction();
        }
        final String bootstrapServers = stack.bootstrapServers();

        // When the broker stops and starts again
        stack.broker().stop();
        assertThat(stack.broker().isRunning()).isFalse();
        stack.broker().start();

        // Then it answers on the same address, with the same log dir and the records committed before
        assertThat(stack.broker().isRunning()).isTrue();
        assertThat(stack.bootstrapServers()).isEqualTo(bootstrapServers);
        assertThat(KafkaTestClients.readValues(bootstrapServers, topic, READ_COMMITTED, 1))
                .containsExactly("before-restart");
    }

    @Test
    void registry_restarts_on_the_same_port_with_backward_compatibility_but_without_its_schemas(final LocalKafkaStack stack)
            throws Exception {
        // Given a registered schema
        final String subject = "registry-restart-test-value";
        assertThat(RegistryHttpCalls.register(stack.schemaRegistryUrl(), subject, SCHEMA).statusCode())
                .isEqualTo(200);
        final String url = stack.schemaRegistryUrl();
        final long pidBefore = stack.registry().pid().orElseThrow();

        // When the registry stops and starts again
        stack.registry().stop();
        assertThat(ProcessHandle.of(pidBefore).filter(ProcessHandle::isAlive)).isEmpty();
        stack.registry().start();

        // Then it answers on the same URL, compatibility is BACKWARD again, and (in-memory storage) the schema is gone
        assertThat(stack.schemaRegistryUrl()).isEqualTo(url);
        assertThat(new ConfluentRegistryHttp(url).globalCompatibility()).isEqualTo("BACKWARD");
        assertThat(RegistryHttpCalls.get(url + "/subjects").body()).doesNotContain(subject);
    }
}
