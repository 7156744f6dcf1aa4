package dev.budgetmeter.producer.internal;

import dev.budgetmeter.registry.serde.WireFormat;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.ProducerInfo;
import dev.budgetmeter.schemas.StreamEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A chunk event's record value, byte for byte as the event serializer writes it (Confluent's wire format: magic
 * byte and schema id, then the Avro binary of the {@link StreamEvent}), but written straight from its numbers into
 * one array: the parts that stay the same within a meter or a stream are encoded once (by Avro's own encoder), the
 * event id goes in as hex digits, eight at a time, and the numbers as Avro's zig-zag varints. That costs an array
 * fill instead of an Avro serialization, which walks the schema field by field and looks up the union branch and the
 * logical type of every value. Immutable; thread-safe.
 *
 * <p>The layout follows the field order of {@code StreamEvent.avsc} and {@code Chunk}; {@link EventEncoder} uses it
 * only after it reproduced an event of the serializer exactly, so a schema it does not match is never written.
 */
final class ChunkLayout {

    /** The text form of a UUID: 32 hex digits and 4 dashes. */
    private static final int EVENT_ID_LENGTH = 36;
    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    private static final VarHandle FOUR_BYTES = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.BIG_ENDIAN);
    private static final int CHUNK_BRANCH = chunkBranch();

    /** Magic byte, schema id and the length of the event id that follows. */
    private final byte[] head;
    /** The producer record, then the union branch of the body: the same for every chunk event of a meter. */
    private final byte[] producerAndBranch;

    private ChunkLayout(final byte[] head, final byte[] producerAndBranch) {
        this.head = head;
        this.producerAndBranch = producerAndBranch;
    }

    /**
     * The layout of the serializer whose output {@code serialized} is (any event it wrote for the meter's topic: it
     * gives the schema id), for events of {@code producer}.
     */
    static ChunkLayout of(final byte[] serialized, final ProducerInfo producer) {
        final byte[] head = Arrays.copyOf(serialized, WireFormat.HEADER_SIZE + varLongSize(EVENT_ID_LENGTH));
        putVarLong(head, WireFormat.HEADER_SIZE, EVENT_ID_LENGTH);
        return new ChunkLayout(head, avro(encoder -> {
            new SpecificDatumWriter<ProducerInfo>(ProducerInfo.getClassSchema(),
                    SpecificData.getForClass(ProducerInfo.class)).write(producer, encoder);
            encoder.writeIndex(CHUNK_BRANCH);
        }));
    }

    /** A string field as Avro writes it (length, then UTF-8); for a stream's reservation id, encoded once. */
    static byte[] string(final String text) {
        return avro(encoder -> encoder.writeString(text));
    }

    /**
     * The value of one chunk event.
     *
     * @param reservationId the stream's reservation id as {@link #string} encoded it
     */
    byte[] write(final UUID eventId, final byte[] reservationId, final long seq, final long occurredAtMillis,
            final Chunk chunk) {
        final long outputTokens = chunk.getTokensOutput();
        final long inputTokens = chunk.getTokensInput();
        final int chunks = chunk.getChunks();
        final byte[] value = new byte[head.length + EVENT_ID_LENGTH + reservationId.length + varLongSize(seq)
                + varLongSize(occurredAtMillis) + producerAndBranch.length + varLongSize(outputTokens)
                + varLongSize(inputTokens) + varLongSize(chunks)];
        int at = put(value, 0, head);
        at = putUuid(value, at, eventId);
        at = put(value, at, reservationId);
        at = putVarLong(value, at, seq);
        at = putVarLong(value, at, occurredAtMillis);
        at = put(value, at, producerAndBranch);
        at = putVarLong(value, at, outputTokens);
        at = putVarLong(value, at, inputTokens);
        putVarLong(value, at, chunks);
        return value;
    }

    private static int put(final byte[] to, final int at, final byte[] part) {
        System.arraycopy(part, 0, to, at, part.length);
        return at + part.length;
    }

    /** As {@link UUID#toString()}: lower-case hex, grouped 8-4-4-4-12; 32 digits in 4 conversions of 8. */
    private static int putUuid(final byte[] to, final int at, final UUID id) {
        final long high = id.getMostSignificantBits();
        final long low = id.getLeastSignificantBits();
        final long highLowerDigits = hexDigits((int) high);
        final long lowUpperDigits = hexDigits((int) (low >>> 32));
        EIGHT_BYTES.set(to, at, hexDigits((int) (high >>> 32)));
        to[at + 8] = '-';
        FOUR_BYTES.set(to, at + 9, (int) (highLowerDigits >>> 32));
        to[at + 13] = '-';
        FOUR_BYTES.set(to, at + 14, (int) highLowerDigits);
        to[at + 18] = '-';
        FOUR_BYTES.set(to, at + 19, (int) (lowUpperDigits >>> 32));
        to[at + 23] = '-';
        FOUR_BYTES.set(to, at + 24, (int) lowUpperDigits);
        EIGHT_BYTES.set(to, at + 28, hexDigits((int) low));
        return at + EVENT_ID_LENGTH;
    }

    /**
     * The 8 lower-case hex digits of {@code bits} as ASCII, most significant in the highest byte: all digits at once
     * (a digit per loop step made the event id a third of the cost of writing a chunk event).
     */
    static long hexDigits(final int bits) {
        // Spread the 8 nibbles over the 8 bytes: 0x0000ABCD0000EFGH, 0x00AB00CD00EF00GH, 0x0A0B0C0D0E0F0G0H.
        long nibbles = (bits & 0xFFFF_0000L) << 16 | bits & 0xFFFFL;
        nibbles = (nibbles & 0x0000_FF00_0000_FF00L) << 8 | nibbles & 0x0000_00FF_0000_00FFL;
        nibbles = (nibbles & 0x00F0_00F0_00F0_00F0L) << 4 | nibbles & 0x000F_000F_000F_000FL;
        // 1 in each byte whose nibble is 10-15 (adding 6 carries it into bit 4), which then becomes 'a'-'f'.
        final long letters = (nibbles + 0x0606_0606_0606_0606L) >>> 4 & 0x0101_0101_0101_0101L;
        return nibbles + 0x3030_3030_3030_3030L + letters * ('a' - '0' - 10);
    }

    /** Avro's long (and int) encoding: zig-zag, then 7 bits per byte, least significant first. */
    private static int putVarLong(final byte[] to, final int at, final long value) {
        long rest = (value << 1) ^ (value >> 63);
        int next = at;
        while ((rest & ~0x7FL) != 0) {
            to[next++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        to[next++] = (byte) rest;
        return next;
    }

    private static int varLongSize(final long value) {
        final long zigZag = (value << 1) ^ (value >> 63);
        return zigZag == 0 ? 1 : (Long.SIZE - 1 - Long.numberOfLeadingZeros(zigZag)) / 7 + 1;
    }

    /** The position of Chunk in the body union; -1 (never matching the serializer) if the schema has none. */
    private static int chunkBranch() {
        final Schema.Field body = StreamEvent.getClassSchema().getField("body");
        final Integer branch = body == null ? null : body.schema().getIndexNamed(Chunk.getClassSchema().getFullName());
        return branch == null ? -1 : branch;
    }

    private static byte[] avro(final AvroWrite write) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            write.to(encoder);
            encoder.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot encode into memory", e);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    private interface AvroWrite {
        void to(BinaryEncoder encoder) throws IOException;
    }
}
