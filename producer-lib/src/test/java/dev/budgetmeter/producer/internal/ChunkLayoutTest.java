package dev.budgetmeter.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkLayoutTest {

    @Test
    void writesEightHexDigitsAsIntegerToHexStringWould() {
        final SplittableRandom random = new SplittableRandom(7);
        IntStream.concat(IntStream.of(0, 1, 9, 10, 15, 16, 0xABCDEF01, -1, Integer.MIN_VALUE, Integer.MAX_VALUE),
                IntStream.generate(random::nextInt).limit(10_000)).forEach(bits -> {
                    final byte[] digits = ByteBuffer.allocate(Long.BYTES).putLong(ChunkLayout.hexDigits(bits))
                            .array();
                    assertThat(new String(digits, StandardCharsets.US_ASCII)).isEqualTo("%08x".formatted(bits));
                });
    }
}
