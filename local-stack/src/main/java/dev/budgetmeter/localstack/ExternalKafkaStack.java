package dev.budgetmeter.localstack;

import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A Kafka cluster and schema registry that someone else runs, named by the environment variables
 * {@value #BOOTSTRAP_SERVERS_ENV} and {@value #SCHEMA_REGISTRY_URL_ENV}. {@link #close()} leaves them running.
 *
 * @param bootstrapServers  the cluster's {@code bootstrap.servers}
 * @param schemaRegistryUrl the Confluent API base URL of its schema registry
 */
public record ExternalKafkaStack(String bootstrapServers, String schemaRegistryUrl) implements KafkaStack {

    /** Environment variable holding the external cluster's {@code bootstrap.servers}. */
    public static final String BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    /** Environment variable holding the external schema registry's Confluent API base URL. */
    public static final String SCHEMA_REGISTRY_URL_ENV = "SCHEMA_REGISTRY_URL";

    /** Validates both addresses and drops a trailing slash from the URL. */
    public ExternalKafkaStack {
        requireText(bootstrapServers, BOOTSTRAP_SERVERS_ENV);
        requireText(schemaRegistryUrl, SCHEMA_REGISTRY_URL_ENV);
        schemaRegistryUrl = schemaRegistryUrl.endsWith("/")
                ? schemaRegistryUrl.substring(0, schemaRegistryUrl.length() - 1)
                : schemaRegistryUrl;
    }

    /** The external stack the environment names, or empty unless both variables are set and non-blank. */
    public static Optional<ExternalKafkaStack> fromEnvironment(final UnaryOperator<String> environment) {
        final String servers = environment.apply(BOOTSTRAP_SERVERS_ENV);
        final String registry = environment.apply(SCHEMA_REGISTRY_URL_ENV);
        return isText(servers) && isText(registry)
                ? Optional.of(new ExternalKafkaStack(servers.strip(), registry.strip()))
                : Optional.empty();
    }

    @Override
    public String description() {
        return "external stack (Kafka at " + bootstrapServers + ", schema registry at " + schemaRegistryUrl + ")";
    }

    /** Does nothing: the external cluster is not ours to stop. */
    @Override
    public void close() {
        // Not ours to stop.
    }

    private static boolean isText(final String value) {
        return value != null && !value.isBlank();
    }

    private static void requireText(final String value, final String name) {
        if (!isText(Objects.requireNonNull(value, name))) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
