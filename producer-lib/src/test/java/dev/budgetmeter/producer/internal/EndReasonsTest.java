package dev.budgetmeter.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class EndReasonsTest {

    @Test
    void a_failure_gives_its_type_and_message() {
        assertThat(EndReasons.of(new IOException("connection reset"))).isEqualTo("IOException: connection reset");
        assertThat(EndReasons.of(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(EndReasons.of(null)).isNull();
    }

    @Test
    void truncates_to_256_characters_without_splitting_a_surrogate_pair() {
        assertThat(EndReasons.of(new IOException("x".repeat(500)))).hasSize(256).startsWith("IOException: xxx");
        assertThat(EndReasons.truncate("y".repeat(256))).hasSize(256);

        final String emojiAcrossTheLimit = "z".repeat(255) + "\uD83D\uDE00" + "tail";

        assertThat(EndReasons.truncate(emojiAcrossTheLimit)).isEqualTo("z".repeat(255));
    }
}
