package dev.budgetmeter.localstack;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;

/**
 * Kafka and Confluent's schema registry in Docker containers ({@value #KAFKA_IMAGE}, {@value #SCHEMA_REGISTRY_IMAGE})
 * on a private network, for machines with a Docker engine.
 *
 * <p>Needs the optional Testcontainers dependencies ({@code org.testcontainers:testcontainers-kafka}); touch this
 * class only after checking they are on the class path. Testcontainers' {@code KafkaContainer} already configures the
 * single-node internal topics (replication factor 1, transaction state log min ISR 1), so transactions work; Confluent's
 * registry defaults to compatibility BACKWARD. The registry URL is the registry root, which is where Confluent serves
 * its API. {@link #close()} stops both containers (Testcontainers' reaper removes them if the JVM dies).
 */
public final class TestcontainersKafkaStack implements KafkaStack {

    /** The Kafka image, matching the Kafka version this project builds against. */
    public static final String KAFKA_IMAGE = "apache/kafka:4.3.1";
    /** Confluent's schema registry image. */
    public static final String SCHEMA_REGISTRY_IMAGE = "confluentinc/cp-schema-registry:8.0.0";

    private static final String KAFKA_ALIAS = "kafka";
    private static final String INTERNAL_LISTENER = KAFKA_ALIAS + ":19092";
    private static final int REGISTRY_PORT = 8081;
    private static final Duration REGISTRY_START_TIMEOUT = Duration.ofMinutes(2);

    private final Network network;
    private final KafkaContainer kafka;
    private final GenericContainer<?> registry;

    private TestcontainersKafkaStack(final Network network, final KafkaContainer kafka,
            final GenericContainer<?> registry) {
        this.network = network;
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Whether Testcontainers finds a Docker engine. Call only when Testcontainers is on the class path. */
    public static boolean isDockerAvailable() {
        return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }

    /** Starts Kafka, then the registry against it, and returns once both answer. */
    public static TestcontainersKafkaStack start() {
        final Network network = Network.newNetwork();
        final KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
                .withNetwork(network)
                .withNetworkAliases(KAFKA_ALIAS)
                .withListener(INTERNAL_LISTENER);
        final GenericContainer<?> registry = new GenericContainer<>(DockerImageName.parse(SCHEMA_REGISTRY_IMAGE));
        registry.withNetwork(network)
                .withExposedPorts(REGISTRY_PORT)
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + INTERNAL_LISTENER)
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(REGISTRY_START_TIMEOUT));
        try {
            kafka.start();
            registry.start();
        } catch (final RuntimeException e) {
            registry.stop();
            kafka.stop();
            network.close();
            throw e;
        }
        return new TestcontainersKafkaStack(network, kafka, registry);
    }

    @Override
    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String schemaRegistryUrl() {
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT);
    }

    @Override
    public String description() {
        return "Testcontainers stack (" + KAFKA_IMAGE + " at " + bootstrapServers() + ", " + SCHEMA_REGISTRY_IMAGE
                + " at " + schemaRegistryUrl() + ")";
    }

    @Override
    public void close() {
        registry.stop();
        kafka.stop();
        network.close();
    }
}
