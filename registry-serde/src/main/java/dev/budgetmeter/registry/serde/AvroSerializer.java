package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro {@link org.apache.avro.generic.GenericRecord}s and generated
 * {@link org.apache.avro.specific.SpecificRecord}s (any {@link GenericContainer}) in Confluent's wire format, with
 * Confluent's configuration ({@link AvroSerdeConfig}). {@code null} serializes to {@code null} (a tombstone).
 *
 * <p>The registry is asked once per (topic, schema) for the serializer's lifetime, never per record; the hot path
 * then costs two map lookups and one Avro encoding into a reused per-thread buffer. Thread-safe once configured.
 *
 * @param <T> the record type
 */
public final class AvroSerializer<T> implements Serializer<T> {

    private final SchemaRegistryClient injectedClient;
    private final DatumWriters writers = new DatumWriters();
    private volatile WriterSchemaIds ids;

    /** For Kafka's reflective instantiation: the registry client comes from the configuration. */
    public AvroSerializer() {
        this(null);
    }

    /** With a given registry client; {@link #configure} still reads the other settings. */
    public AvroSerializer(final SchemaRegistryClient client) {
        this.injectedClient = client;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        final AvroSerdeConfig config = new AvroSerdeConfig(configs);
        final SchemaRegistryClient client =
                injectedClient != null ? injectedClient : SchemaRegistryClients.fromConfig(config);
        this.ids = new WriterSchemaIds(client, config, isKey);
    }

    @Override
    public byte[] serialize(final String topic, final T data) {
        if (data == null) {
            return null;
        }
        if (!(data instanceof GenericContainer container)) {
            throw new SerializationException("AvroSerializer writes Avro records (GenericContainer), not "
                    + data.getClass().getName());
        }
        final WriterSchemaIds configured = ids;
        if (configured == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        final Schema schema = container.getSchema();
        final int schemaId = configured.idFor(topic, schema);
        try {
            return PayloadCodec.encode(schemaId, writers.writerFor(container), data);
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("Cannot write " + schema.getFullName() + " (schema id " + schemaId
                    + ") for topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
