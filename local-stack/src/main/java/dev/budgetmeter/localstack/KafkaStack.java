package dev.budgetmeter.localstack;

import java.util.Map;

/**
 * A running Kafka cluster plus a schema registry that speaks the Confluent REST API: what a test or the demo needs to
 * produce, consume and (de)serialize Avro.
 *
 * <p>Guarantees: while the stack is open, {@link #bootstrapServers()} answers Kafka clients and
 * {@link #schemaRegistryUrl()} answers Confluent schema registry clients with global compatibility BACKWARD (Confluent's
 * default). {@link #close()} releases whatever the stack owns and never throws a checked exception.
 */
public interface KafkaStack extends AutoCloseable {

    /** The {@code bootstrap.servers} value for Kafka clients, e.g. {@code 127.0.0.1:40123}. */
    String bootstrapServers();

    /**
     * The base URL of the Confluent schema registry API, without a trailing slash, e.g.
     * {@code http://127.0.0.1:40124/apis/ccompat/v7}; append {@code /subjects}, {@code /schemas/ids/1}, ...
     */
    String schemaRegistryUrl();

    /**
     * Every property a Kafka client of this stack needs to connect with full rights: {@code bootstrap.servers} and,
     * on a secured cluster, its administrator's security settings (a super user). A stack without security needs
     * only the bootstrap servers.
     */
    default Map<String, Object> clientProperties() {
        return Map.of("bootstrap.servers", bootstrapServers());
    }

    /** One line for logs and failure messages: which kind of stack this is and where its parts are. */
    String description();

    /** Stops what this stack started and releases its resources; calling it again does nothing. */
    @Override
    void close();
}
