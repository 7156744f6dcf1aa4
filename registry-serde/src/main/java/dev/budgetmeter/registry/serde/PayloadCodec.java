package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.AvroDecodingException;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Encodes and decodes whole payloads, reusing one output buffer, encoder and decoder per thread: a Kafka producer
 * or consumer may call one serde from several threads, but never re-entrantly from one.
 */
final class PayloadCodec {

    private static final ThreadLocal<EncodingScratch> ENCODING = ThreadLocal.withInitial(EncodingScratch::new);
    private static final ThreadLocal<BinaryDecoder> DECODER = new ThreadLocal<>();

    private PayloadCodec() {
    }

    /** The header for {@code schemaId} followed by {@code datum} in Avro binary. */
    static byte[] encode(final int schemaId, final DatumWriter<Object> writer, final Object datum)
            throws IOException {
        final EncodingScratch scratch = ENCODING.get();
        scratch.out.reset();
        WireFormat.writeHeader(scratch.out, schemaId);
        // The direct encoder writes straight into the reusable buffer, with no buffer of its own to flush.
        scratch.encoder = EncoderFactory.get().directBinaryEncoder(scratch.out, scratch.encoder);
        writer.write(datum, scratch.encoder);
        return scratch.out.toByteArray();
    }

    /**
     * Decodes the body of a payload whose header was already checked, demanding that it ends with the datum.
     *
     * @throws AvroDecodingException when the body is truncated, malformed or followed by extra bytes
     */
    static Object decode(final byte[] payload, final ResolvedReader resolved) {
        final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload, WireFormat.HEADER_SIZE,
                payload.length - WireFormat.HEADER_SIZE, DECODER.get());
        DECODER.set(decoder);
        final Object datum;
        final boolean consumedAll;
        try {
            datum = resolved.reader().read(null, decoder);
            consumedAll = decoder.isEnd();
        } catch (final IOException | RuntimeException e) {
            // Garbage surfaces as EOF, negative lengths, bad union indexes or out-of-range enum symbols.
            throw new AvroDecodingException(resolved.schemaId(), resolved.writerName(),
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        if (!consumedAll) {
            throw new AvroDecodingException(resolved.schemaId(), resolved.writerName(),
                    "bytes left over after the datum (" + payload.length + "-byte payload)", null);
        }
        return datum;
    }

    /** What one schema id decodes with: the reader and, for error messages, the writer schema's name. */
    record ResolvedReader(int schemaId, String writerName, DatumReader<Object> reader) {
    }

    private static final class EncodingScratch {
        private final ReusableOutputStream out = new ReusableOutputStream();
        private BinaryEncoder encoder;
    }
}
