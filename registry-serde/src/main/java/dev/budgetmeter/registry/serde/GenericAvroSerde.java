package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A {@link org.apache.kafka.common.serialization.Serde} of {@link GenericRecord}s: {@link AvroSerializer} plus an
 * {@link AvroDeserializer} forced to {@code specific.avro.reader=false}.
 */
public final class GenericAvroSerde extends Serdes.WrapperSerde<GenericRecord> {

    /** For Kafka's reflective instantiation. */
    public GenericAvroSerde() {
        this(null);
    }

    /** With a given registry client (or the configured one when null). */
    public GenericAvroSerde(final SchemaRegistryClient client) {
        super(new AvroSerializer<>(client), new AvroDeserializer<>(client));
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        final Map<String, Object> generic = new HashMap<>(configs);
        generic.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, false);
        super.configure(generic, isKey);
    }
}
