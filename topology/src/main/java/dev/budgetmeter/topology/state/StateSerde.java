package dev.budgetmeter.topology.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of the topology's own state: Avro's single-object encoding (a marker, the 8-byte fingerprint of the
 * schema, then Avro binary), which needs no schema registry. The application's state is then readable whatever
 * happens to the registry: a registry that loses or renumbers its ids (an in-memory one restarted, a restore) cannot
 * make a task unable to read its own stores. Topic values, which other teams read, stay in the Confluent format.
 *
 * <p>A value written with a schema the decoder does not know fails with a clear error; when the snapshot schema
 * changes, the decoder must be given the previous schemas ({@link BinaryMessageDecoder#addSchema}).
 */
public final class StateSerde<T> implements Serde<T> {

    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    /** With a generated class's own {@code getEncoder()} and {@code getDecoder()}, which know its logical types. */
    public StateSerde(final BinaryMessageEncoder<T> encoder, final BinaryMessageDecoder<T> decoder) {
        this.encoder = encoder;
        this.decoder = decoder;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                final ByteBuffer encoded = encoder.encode(value);
                final byte[] bytes = new byte[encoded.remaining()];
                encoded.get(bytes);
                return bytes;
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
            try {
                return decoder.decode(bytes);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("state of " + topic + " does not decode: " + e.getMessage(), e);
            }
        };
    }
}
