package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.AvroDecodingException;
import java.io.IOException;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;

/**
 * Encodes and decodes whole payloads of the Confluent wire format: the {@link WireFormat} header, then one datum
 * ({@link AvroBinary}).
 */
final class PayloadCodec {

    private PayloadCodec() {
    }

    /** The header for {@code schemaId} followed by {@code datum} in Avro binary. */
    static byte[] encode(final int schemaId, final DatumWriter<Object> writer, final Object datum)
            throws IOException {
        return AvroBinary.encode(WireFormat.header(schemaId), writer, datum);
    }

    /**
     * Decodes the body of a payload whose header was already checked, demanding that it ends with the datum.
     *
     * @throws AvroDecodingException when the body is truncated, malformed or followed by extra bytes
     */
    static Object decode(final byte[] payload, final ResolvedReader resolved) {
        try {
            return AvroBinary.decode(payload, WireFormat.HEADER_SIZE, resolved.reader());
        } catch (final IOException | RuntimeException e) {
            // Garbage surfaces as EOF, negative lengths, bad union indexes or out-of-range enum symbols.
            throw new AvroDecodingException(resolved.schemaId(), resolved.writerName(),
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    /** What one schema id decodes with: the reader and, for error messages, the writer schema's name. */
    record ResolvedReader(int schemaId, String writerName, DatumReader<Object> reader) {
    }
}
