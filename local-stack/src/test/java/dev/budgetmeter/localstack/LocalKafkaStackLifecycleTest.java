package dev.budgetmeter.localstack;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.budgetmeter.localstack.KafkaTestClients.READ_COMMITTED;
import static org.assertj.core.api.Assertions.assertThat;

/** Full stacks of their own (not the shared one): start, use, stop, and start again in the same JVM. */
class LocalKafkaStackLifecycleTest {

    @Test
    void start_stop_and_start_again_on_the_same_ports_in_one_jvm_leaves_nothing_behind() throws Exception {
        // Given a stack that was started, used and closed
        final Path firstWorkDirectory;
        final long firstRegistryPid;
        final LocalStackOptions samePorts;
        try (LocalKafkaStack first = LocalKafkaStack.start()) {
            firstWorkDirectory = first.workDirectory();
            firstRegistryPid = first.registry().pid().orElseThrow();
            samePorts = LocalStackOptions.defaults()
                    .withBrokerPort(portOf(first.bootstrapServers()))
                    .withRegistryPort(portOf(first.schemaRegistryUrl().replace(ApicurioRegistry.CONFLUENT_API_PATH,
                            "")));
            assertStackWorks(first, "lifecycle-first");
        }

        // Then its temp directory and registry JVM are gone
        assertThat(firstWorkDirectory).doesNotExist();
        assertThat(ProcessHandle.of(firstRegistryPid).filter(ProcessHandle::isAlive)).isEmpty();

        // And a second stack starts in the same JVM on the ports the first one freed
        try (LocalKafkaStack second = LocalKafkaStack.start(samePorts)) {
            assertThat(portOf(second.bootstrapServers())).isEqualTo(samePorts.brokerPort());
            assertThat(second.workDirectory()).isNotEqualTo(firstWorkDirectory);
            assertStackWorks(second, "lifecycle-second");
        }
    }

    private static void assertStackWorks(final LocalKafkaStack stack, final String topic) throws Exception {
        assertThat(stack.startupTime()).isPositive();
        assertThat(stack.broker().logDir()).isDirectory();
        KafkaTestClients.createTopic(stack.bootstrapServers(), topic, 1);
        try (KafkaProducer<String, String> producer =
                     KafkaTestClients.transactionalProducer(stack.bootstrapServers(), topic + "-tx")) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "v"));
            producer.commitTransaction();
        }
        assertThat(KafkaTestClients.readValues(stack.bootstrapServers(), topic, READ_COMMITTED, 1))
                .containsExactly("v");
        assertThat(RegistryHttpCalls.get(stack.schemaRegistryUrl() + "/subjects").statusCode()).isEqualTo(200);
    }

    private static int portOf(final String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
