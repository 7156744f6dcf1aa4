package dev.budgetmeter.bench.load;

import dev.budgetmeter.schemas.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.io.BinaryData;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The events of a {@link StreamShape}, serialized once and then stamped per stream, so the load generator spends
 * about a hundred nanoseconds per record instead of an Avro serialization and the load it offers is not limited by
 * its own CPU.
 *
 * <p>How: reservation ids have a fixed width ({@code bench-} and 12 digits) and {@code occurred_at} (epoch ms, an
 * Avro zig-zag varint) takes 6 bytes for every date from 2005 to 2039, so a stream's bytes differ from the template's
 * only in those digits and those 6 bytes, at offsets found once. {@link #of} proves it: it stamps a sample and checks
 * that it decodes to exactly the events the shape would serialize.
 */
public final class EventTemplates implements StreamTemplates {

    private static final String ID_PREFIX = "bench-";
    private static final int DIGITS = 12;
    private static final long MAX_STREAM_NUMBER = 999_999_999_999L;
    private static final String PLACEHOLDER_ID = ID_PREFIX + "0".repeat(DIGITS);
    /** 2009-02-13T23:31:30.123Z: any time whose varint takes {@link #TIME_BYTES} bytes would do. */
    private static final long PLACEHOLDER_TIME = 1_234_567_890_123L;
    private static final int TIME_BYTES = 6;
    private static final long SAMPLE_STREAM = 123_456_789_012L;
    /** 2023-11-14T22:13:20Z. */
    private static final long SAMPLE_TIME = 1_700_000_000_000L;

    private final StreamShape shape;
    private final byte[][] values;
    private final int[][] digitOffsets;
    private final int[] timeOffsets;

    private EventTemplates(final StreamShape shape, final byte[][] values, final int[][] digitOffsets,
                           final int[] timeOffsets) {
        this.shape = shape;
        this.values = values;
        this.digitOffsets = digitOffsets;
        this.timeOffsets = timeOffsets;
    }

    /**
     * Serializes the shape's events with {@code serializer} (as written to {@code topic}) and checks the stamping.
     *
     * @throws IllegalStateException when a stamped sample does not decode to the expected events
     */
    public static EventTemplates of(final StreamShape shape, final Serializer<StreamEvent> serializer,
                                    final Deserializer<StreamEvent> deserializer, final String topic) {
        final List<StreamEvent> events = shape.events(PLACEHOLDER_ID, PLACEHOLDER_TIME);
        final byte[][] values = new byte[events.size()][];
        final int[][] digitOffsets = new int[events.size()][];
        final int[] timeOffsets = new int[events.size()];
        final byte[] id = PLACEHOLDER_ID.getBytes(StandardCharsets.UTF_8);
        final byte[] time = varint(PLACEHOLDER_TIME);
        for (int i = 0; i < events.size(); i++) {
            values[i] = serializer.serialize(topic, events.get(i));
            digitOffsets[i] = occurrences(values[i], id).stream().mapToInt(at -> at + ID_PREFIX.length()).toArray();
            final List<Integer> times = occurrences(values[i], time);
            if (times.size() != 1) {
                throw new IllegalStateException("occurred_at appears " + times.size() + " times in event " + i);
            }
            timeOffsets[i] = times.get(0);
        }
        final EventTemplates templates = new EventTemplates(shape, values, digitOffsets, timeOffsets);
        templates.verify(deserializer, topic);
        return templates;
    }

    /** The reservation id of stream number {@code streamNumber}. */
    public static String reservationId(final long streamNumber) {
        return new String(idBytes(streamNumber), StandardCharsets.UTF_8);
    }

    /** The stream number of a reservation id of this generator, or -1 for any other id. */
    public static long streamNumber(final String reservationId) {
        if (reservationId.length() != PLACEHOLDER_ID.length() || !reservationId.startsWith(ID_PREFIX)) {
            return -1;
        }
        return Long.parseLong(reservationId.substring(ID_PREFIX.length()));
    }

    /** The record key of stream number {@code streamNumber}: its reservation id in UTF-8. */
    public static byte[] key(final long streamNumber) {
        return idBytes(streamNumber);
    }

    public StreamShape shape() {
        return shape;
    }

    @Override
    public int eventsPerStream() {
        return values.length;
    }

    /** The mean serialized size of a stream's events, in bytes. */
    public double averageValueBytes() {
        return Arrays.stream(values).mapToInt(value -> value.length).average().orElse(0);
    }

    @Override
    public byte[] value(final int index, final long streamNumber, final long occurredAtMs) {
        final byte[] value = values[index].clone();
        for (final int offset : digitOffsets[index]) {
            writeDigits(value, offset, streamNumber);
        }
        if (BinaryData.encodeLong(occurredAtMs, value, timeOffsets[index]) != TIME_BYTES) {
            throw new IllegalArgumentException("occurred_at " + occurredAtMs + " does not take " + TIME_BYTES
                    + " bytes as a varint");
        }
        return value;
    }

    private void verify(final Deserializer<StreamEvent> deserializer, final String topic) {
        final List<StreamEvent> expected = shape.events(reservationId(SAMPLE_STREAM), SAMPLE_TIME);
        for (int i = 0; i < values.length; i++) {
            final StreamEvent stamped = deserializer.deserialize(topic, value(i, SAMPLE_STREAM, SAMPLE_TIME));
            if (!stamped.equals(expected.get(i))) {
                throw new IllegalStateException("stamped event " + i + " decodes to " + stamped + " instead of "
                        + expected.get(i));
            }
        }
    }

    private static byte[] idBytes(final long streamNumber) {
        if (streamNumber < 0 || streamNumber > MAX_STREAM_NUMBER) {
            throw new IllegalArgumentException("stream number " + streamNumber + " outside 0.." + MAX_STREAM_NUMBER);
        }
        final byte[] id = PLACEHOLDER_ID.getBytes(StandardCharsets.UTF_8);
        writeDigits(id, ID_PREFIX.length(), streamNumber);
        return id;
    }

    private static void writeDigits(final byte[] target, final int offset, final long number) {
        long rest = number;
        for (int i = DIGITS - 1; i >= 0; i--) {
            target[offset + i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
    }

    private static byte[] varint(final long value) {
        final byte[] buffer = new byte[10];
        return Arrays.copyOf(buffer, BinaryData.encodeLong(value, buffer, 0));
    }

    private static List<Integer> occurrences(final byte[] haystack, final byte[] needle) {
        final List<Integer> found = new ArrayList<>();
        for (int at = 0; at + needle.length <= haystack.length; at++) {
            if (Arrays.equals(haystack, at, at + needle.length, needle, 0, needle.length)) {
                found.add(at);
            }
        }
        return found;
    }
}
