package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A {@link org.apache.kafka.common.serialization.Serde} of generated Avro classes: {@link AvroSerializer} plus an
 * {@link AvroDeserializer} forced to {@code specific.avro.reader=true}. Given the target class, it reads every
 * payload as that class (its schema is the reader schema) and refuses payloads of other records with
 * {@link dev.budgetmeter.registry.SchemaMismatchException}.
 *
 * @param <T> the generated class
 */
public final class SpecificAvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    private final Class<T> type;

    /** For Kafka's reflective instantiation: reads the class each writer schema names. */
    public SpecificAvroSerde() {
        this(null, null);
    }

    /** Reads every payload as {@code type}. */
    public SpecificAvroSerde(final Class<T> type) {
        this(type, null);
    }

    /**
     * Reads every payload as {@code type} (or as the writer schema's class when null), with a given registry client
     * (or the configured one when null).
     */
    public SpecificAvroSerde(final Class<T> type, final SchemaRegistryClient client) {
        super(new AvroSerializer<>(client), new AvroDeserializer<>(client));
        this.type = type;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        final Map<String, Object> specific = new HashMap<>(configs);
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        if (type != null) {
            specific.put(isKey
                    ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE_CONFIG
                    : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG, type);
        }
        super.configure(specific, isKey);
    }
}
