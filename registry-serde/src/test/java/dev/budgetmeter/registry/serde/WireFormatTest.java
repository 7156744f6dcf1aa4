package dev.budgetmeter.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.budgetmeter.registry.InvalidWireFormatException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void the_header_is_magic_byte_zero_then_the_id_big_endian() {
        assertThat(WireFormat.header(0x01020304)).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
        assertThat(WireFormat.schemaId(WireFormat.header(0x80000001))).isEqualTo(0x80000001);
    }

    @Test
    void the_id_is_read_back_including_the_high_bit() {
        assertThat(WireFormat.schemaId(new byte[] {0, 0, 0, 0, 42})).isEqualTo(42);
        assertThat(WireFormat.schemaId(new byte[] {0, (byte) 0x80, 0, 0, 1, 99})).isEqualTo(0x80000001);
    }

    @Test
    void a_payload_shorter_than_the_header_is_too_short() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 1}))
                .isInstanceOfSatisfying(InvalidWireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidWireFormatException.Reason.TOO_SHORT))
                .hasMessageContaining("too short: 3 byte(s)")
                .hasMessageContaining("at least 5");
    }

    @Test
    void a_payload_not_starting_with_zero_has_an_unknown_magic_byte() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {(byte) 0xAB, 0, 0, 0, 1}))
                .isInstanceOfSatisfying(InvalidWireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidWireFormatException.Reason.UNKNOWN_MAGIC_BYTE))
                .hasMessageContaining("magic byte 0xab");
    }
}
