package dev.budgetmeter.topology.state;

import dev.budgetmeter.registry.serde.AvroBinary;
import dev.budgetmeter.registry.serde.SpecificModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * class's own encoder on a reused buffer, because every event reads and writes its reservation. It reads what the
 * current schema wrote and what every published version of it wrote (the {@code published/<Name>/v<N>.avsc} files
 * the schemas jar carries), resolved to the current one: state written before an upgrade stays readable after it. A
 * value written with any other schema fails with a clear error.
 */
public final class StateSerde<T> implements Serde<T> {

    private static final byte[] MARKER = {(byte) 0xC3, (byte) 0x01};
    private static final int HEADER_SIZE = MARKER.length + Long.BYTES;

    private static final String PUBLISHED = "/dev/budgetmeter/schemas/published/";

    private final byte[] header;
    private final SpecificDatumWriter<T> writer;
    private final Schema schema;
    /** Readers by the fingerprint of the schema the bytes were written with. */
    private final Map<Long, SpecificDatumReader<T>> readers = new HashMap<>();

    /** For a generated record class. */
    public StateSerde(final Class<T> generatedClass) {
        final SpecificData model = SpecificModels.of(generatedClass);
        this.schema = model.getSchema(generatedClass);
        final long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.header = header(fingerprint);
        this.writer = new SpecificDatumWriter<>(schema, model);
        readers.put(fingerprint, new SpecificDatumReader<>(schema, schema, model));
        for (final Schema published : publishedVersions(generatedClass.getSimpleName())) {
            readers.putIfAbsent(SchemaNormalization.parsingFingerprint64(published),
                    new SpecificDatumReader<>(published, schema, model));
        }
    }

    private static byte[] header(final long fingerprint) {
        return ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN).put(MARKER).putLong(fingerprint)
                .array();
    }

    /** v1, v2, ... of {@code name} as the schemas jar carries them, until the first missing version. */
    private static List<Schema> publishedVersions(final String name) {
        final List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = StateSerde.class.getResourceAsStream(PUBLISHED + name + "/v" + v + ".avsc")) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the published schema v" + v + " of " + name, e);
            }
        }
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
            final SpecificDatumReader<T> reader = bytes.length < HEADER_SIZE
                    || !Arrays.equals(bytes, 0, MARKER.length, MARKER, 0, MARKER.length) ? null
                    : readers.get(ByteBuffer.wrap(bytes, MARKER.length, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                    .getLong());
            if (reader == null) {
                throw new SerializationException("state of " + topic + " does not decode: not single-object"
                        + " encoded with a schema of " + schema.getFullName() + " known to this version");
            }
            try {
                return AvroBinary.decode(bytes, HEADER_SIZE, reader);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("state of " + topic + " does not decode: " + e.getMessage(), e);
            }
        };
    }
}
