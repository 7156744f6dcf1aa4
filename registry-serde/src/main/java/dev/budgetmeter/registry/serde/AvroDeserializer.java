package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format payloads: a {@link org.apache.avro.generic.GenericRecord} by default, or, with
 * {@code specific.avro.reader=true}, the generated class of the writer schema (or of
 * {@code specific.avro.value.type} / {@code specific.avro.key.type}), resolving writer schema to reader schema.
 * {@code null} deserializes to {@code null}.
 *
 * <p>Failures are precise so that callers can tell bad input from bad infrastructure:
 * {@link dev.budgetmeter.registry.InvalidWireFormatException},
 * {@link dev.budgetmeter.registry.UnknownSchemaIdException},
 * {@link dev.budgetmeter.registry.SchemaMismatchException} and
 * {@link dev.budgetmeter.registry.AvroDecodingException} are properties of the payload;
 * {@link dev.budgetmeter.registry.SchemaRegistryUnavailableException} is not. Each schema id is resolved once;
 * thread-safe once configured.
 *
 * @param <T> the record type produced
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

    private final SchemaRegistryClient injectedClient;
    private volatile DatumReaders readers;

    /** For Kafka's reflective instantiation: the registry client comes from the configuration. */
    public AvroDeserializer() {
        this(null);
    }

    /** With a given registry client; {@link #configure} still reads the other settings. */
    public AvroDeserializer(final SchemaRegistryClient client) {
        this.injectedClient = client;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        final AvroSerdeConfig config = new AvroSerdeConfig(configs);
        final SchemaRegistryClient client =
                injectedClient != null ? injectedClient : SchemaRegistryClients.fromConfig(config);
        this.readers = new DatumReaders(client, config.specificAvroReader(), config.specificReaderType(isKey));
    }

    @Override
    @SuppressWarnings("unchecked") // the configured reader decides T, as with every Kafka deserializer
    public T deserialize(final String topic, final byte[] data) {
        if (data == null) {
            return null;
        }
        final DatumReaders configured = readers;
        if (configured == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        return (T) PayloadCodec.decode(data, configured.forSchemaId(WireFormat.schemaId(data)));
    }
}
