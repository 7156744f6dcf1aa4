package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.junit.WithKafkaStack;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithKafkaStack
class PortInUseTest {

    @Test
    void taken_broker_port_fails_the_start_naming_the_port_and_the_broker() throws IOException {
        try (ServerSocket occupier = occupyFreeLoopbackPort()) {
            final int port = occupier.getLocalPort();

            assertThatThrownBy(() -> LocalKafkaStack.start(LocalStackOptions.defaults().withBrokerPort(port)))
                    .isInstanceOfSatisfying(PortInUseException.class, e -> {
                        assertThat(e.port()).isEqualTo(port);
                        assertThat(e.component()).isEqualTo(EmbeddedKafkaBroker.COMPONENT);
                    })
                    .hasMessage("Kafka broker did not come up: port " + port + " on 127.0.0.1 is already in use by"
                            + " another process; free it or configure port 0 in LocalStackOptions to let the stack"
                            + " pick a free one");
        }
    }

    @Test
    void taken_registry_port_fails_the_start_naming_the_port_and_the_registry() throws IOException {
        try (ServerSocket occupier = occupyFreeLoopbackPort()) {
            final int port = occupier.getLocalPort();

            assertThatThrownBy(() -> LocalKafkaStack.start(LocalStackOptions.defaults().withRegistryPort(port)))
                    .isInstanceOfSatisfying(PortInUseException.class, e -> {
                        assertThat(e.port()).isEqualTo(port);
                        assertThat(e.component()).isEqualTo(ApicurioRegistry.COMPONENT);
                    })
                    .hasMessageStartingWith("Apicurio schema registry did not come up: port " + port);
        }
    }

    @Test
    void broker_restart_fails_clearly_when_its_port_was_taken_meanwhile(final LocalKafkaStack stack) throws IOException {
        final int port = portOf(stack.bootstrapServers());
        stack.broker().stop();
        try (ServerSocket occupier = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(occupier.isBound()).as("another process holds the broker's port").isTrue();
            assertThatThrownBy(() -> stack.broker().start())
                    .isInstanceOfSatisfying(PortInUseException.class, e -> assertThat(e.port()).isEqualTo(port))
                    .hasMessageContaining("Kafka broker");
            assertThat(stack.broker().isRunning()).isFalse();
        } finally {
            stack.broker().start();
        }
        assertThat(stack.broker().isRunning()).isTrue();
    }

    @Test
    void registry_restart_fails_clearly_when_its_port_was_taken_meanwhile(final LocalKafkaStack stack) throws IOException {
        final int port = portOf(stack.schemaRegistryUrl().replace(ApicurioRegistry.CONFLUENT_API_PATH, ""));
        stack.registry().stop();
        try (ServerSocket occupier = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(occupier.isBound()).as("another process holds the registry's port").isTrue();
            assertThatThrownBy(() -> stack.registry().start())
                    .isInstanceOfSatisfying(PortInUseException.class, e -> assertThat(e.port()).isEqualTo(port))
                    .hasMessageContaining("Apicurio schema registry");
            assertThat(stack.registry().isRunning()).isFalse();
        } finally {
            stack.registry().start();
        }
        assertThat(stack.registry().isRunning()).isTrue();
    }

    private static ServerSocket occupyFreeLoopbackPort() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    private static int portOf(final String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
