package dev.budgetmeter.registry.serde;

import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * One datum in Avro binary behind a fixed header, the shape of both the Confluent wire format and Avro's
 * single-object encoding. Encoding and decoding reuse one buffer, encoder and decoder per thread, so the per-record
 * cost is Avro's own work: a Kafka client may call a serde from several threads, but never re-entrantly from one.
 *
 * <p>Decoding demands that the datum ends exactly at the end of the bytes: a payload with bytes after its datum was
 * not written by any Avro writer and is refused rather than half-read.
 */
public final class AvroBinary {

    private static final ThreadLocal<EncodingScratch> ENCODING = ThreadLocal.withInitial(EncodingScratch::new);
    private static final ThreadLocal<BinaryDecoder> DECODER = new ThreadLocal<>();

    private AvroBinary() {
    }

    /** {@code header} followed by {@code datum} in Avro binary, as a new array. */
    public static <T> byte[] encode(final byte[] header, final DatumWriter<? super T> writer, final T datum)
            throws IOException {
        final EncodingScratch scratch = ENCODING.get();
        scratch.out.reset();
        scratch.out.write(header, 0, header.length);
        // Avro's buffered encoder fills its own block and copies it out once; writing straight into the stream
        // byte by byte costs several times more on records of a few hundred bytes.
        scratch.encoder = EncoderFactory.get().binaryEncoder(scratch.out, scratch.encoder);
        writer.write(datum, scratch.encoder);
        scratch.encoder.flush();
        return scratch.out.toByteArray();
    }

    /**
     * The datum that fills {@code bytes} from {@code offset} to the end.
     *
     * @throws IOException when the bytes are truncated or malformed, or go on after the datum
     */
    public static <T> T decode(final byte[] bytes, final int offset, final DatumReader<T> reader) throws IOException {
        final BinaryDecoder reused = DECODER.get();
        final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset,
                reused);
        if (decoder != reused) {
            DECODER.set(decoder);
        }
        final T datum = reader.read(null, decoder);
        if (!decoder.isEnd()) {
            throw new IOException("bytes left over after the datum (" + bytes.length + "-byte payload)");
        }
        return datum;
    }

    private static final class EncodingScratch {
        private final ReusableOutputStream out = new ReusableOutputStream();
        private BinaryEncoder encoder;
    }
}
