package dev.budgetmeter.topology.state;

import dev.budgetmeter.registry.serde.AvroBinary;
import dev.budgetmeter.registry.serde.SpecificModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of the topology's own state: Avro's single-object encoding (the marker {@code C3 01}, the schema's
 * 8-byte CRC-64-AVRO fingerprint little-endian, then Avro binary), which needs no schema registry. The application's
 * state is then readable whatever happens to the registry: a registry that loses or renumbers its ids (an in-memory
 * one restarted, a restore) cannot make a task unable to read its own stores. Topic values, which other teams read,
 * stay in the Confluent format.
 *
 * <p>The bytes are exactly those of Avro's {@code BinaryMessageEncoder}; this serde writes them with the generated
 * class's own encoder on a reused buffer, because every event reads and writes its reservation. A value written with
 * another schema fails with a clear error: when the snapshot schema changes, this serde must learn the previous one.
 */
public final class StateSerde<T> implements Serde<T> {

    private static final byte[] MARKER = {(byte) 0xC3, (byte) 0x01};
    private static final int HEADER_SIZE = MARKER.length + Long.BYTES;

    private final byte[] header;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;

    /** For a generated record class. */
    public StateSerde(final Class<T> generatedClass) {
        final SpecificData model = SpecificModels.of(generatedClass);
        final Schema schema = model.getSchema(generatedClass);
        this.header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .put(MARKER).putLong(SchemaNormalization.parsingFingerprint64(schema)).array();
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.reader = new SpecificDatumReader<>(schema, schema, model);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return AvroBinary.encode(header, writer, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < HEADER_SIZE || !Arrays.equals(bytes, 0, HEADER_SIZE, header, 0, HEADER_SIZE)) {
                throw new SerializationException("state of " + topic + " does not decode: not single-object"
                        + " encoded with the schema of " + reader.getSchema().getFullName() + " known to this version");
            }
            try {
                return AvroBinary.decode(bytes, HEADER_SIZE, reader);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("state of " + topic + " does not decode: " + e.getMessage(), e);
            }
        };
    }
}
