package dev.budgetmeter.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Base of every failure raised by the schema registry client and the Avro serde.
 *
 * <p>It is a Kafka {@link SerializationException}, so a producer or a Streams app sees it where Kafka reports serde
 * failures. Callers that react differently to different failures (retry versus dead-letter) catch the precise
 * subtypes; this base exists so that nothing else leaks out of the module.
 */
public abstract class SchemaRegistryException extends SerializationException {

    private static final long serialVersionUID = 1L;

    protected SchemaRegistryException(final String message) {
        super(message);
    }

    protected SchemaRegistryException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
