package dev.budgetmeter.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.registry.serde.WireFormat;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.ProducerInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layout's own encodings; {@link EventEncoderTest} checks whole events against the serializer. */
class ChunkLayoutTest {

    private static final int EVENT_ID_AT = WireFormat.HEADER_SIZE + 1;

    @Test
    void writes_eight_hex_digits_as_integer_to_hex_string_would() {
        final SplittableRandom random = new SplittableRandom(7);
        IntStream.concat(IntStream.of(0, 1, 9, 10, 15, 16, 0xABCDEF01, -1, Integer.MIN_VALUE, Integer.MAX_VALUE),
                IntStream.generate(random::nextInt).limit(10_000)).forEach(bits -> {
                    final byte[] digits = ByteBuffer.allocate(Long.BYTES).putLong(ChunkLayout.hexDigits(bits))
                            .array();
                    assertThat(new String(digits, StandardCharsets.US_ASCII)).isEqualTo("%08x".formatted(bits));
                });
    }

    @Test
    void writes_the_event_id_as_uuid_to_string_would() {
        // Any wire header will do: only the event id's place in the value matters here.
        final ChunkLayout layout = ChunkLayout.of(new byte[] {0, 0, 0, 0, 1}, new ProducerInfo("w", "v"));
        final byte[] reservationId = ChunkLayout.string("r-1");
        final SplittableRandom random = new SplittableRandom(11);
        final Stream<UUID> edges =
                Stream.of(new UUID(0, 0), new UUID(-1, -1), UUID.fromString("01234567-89ab-cdef-0123-456789abcdef"));
        Stream.concat(edges, Stream.generate(() -> new UUID(random.nextLong(), random.nextLong())).limit(10_000))
                .forEach(id -> {
                    final byte[] value = layout.write(id, reservationId, 1, 2, new Chunk(3L, 4L, 5));
                    assertThat(new String(Arrays.copyOfRange(value, EVENT_ID_AT, EVENT_ID_AT + 36),
                            StandardCharsets.US_ASCII)).isEqualTo(id.toString());
                });
    }
}
