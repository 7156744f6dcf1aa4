package dev.budgetmeter.localstack;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import static dev.budgetmeter.localstack.KafkaTestClients.READ_COMMITTED;
import static org.assertj.core.api.Assertions.assertThat;

/** Runs only where a Docker engine exists; skipped cleanly elsewhere (such as the project's build machines). */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersKafkaStackTest {

    @Test
    void containers_serve_transactions_and_a_backward_compatible_confluent_registry() throws Exception {
        try (TestcontainersKafkaStack stack = TestcontainersKafkaStack.start()) {
            KafkaTestClients.createTopic(stack.bootstrapServers(), "containers-test", 1);
            try (KafkaProducer<String, String> producer =
                         KafkaTestClients.transactionalProducer(stack.bootstrapServers(), "containers-test-tx")) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("containers-test", "k", "v"));
                producer.commitTransaction();
            }

            assertThat(KafkaTestClients.readValues(stack.bootstrapServers(), "containers-test", READ_COMMITTED, 1))
                    .containsExactly("v");
            assertThat(RegistryHttpCalls.get(stack.schemaRegistryUrl() + "/config").body())
                    .contains("\"compatibilityLevel\":\"BACKWARD\"");
        }
    }
}
