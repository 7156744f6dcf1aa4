package dev.budgetmeter.registry.serde;

import dev.budgetmeter.registry.InvalidWireFormatException;

/**
 * Confluent's wire format: the magic byte {@code 0}, the schema id as a big-endian 4-byte int, then the Avro binary
 * encoding of the datum with that schema.
 */
public final class WireFormat {

    /** The first byte of every payload. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /**
     * The schema id in a payload's header.
     *
     * @throws InvalidWireFormatException when the payload is shorter than the header or its magic byte is not 0
     */
    public static int schemaId(final byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw InvalidWireFormatException.tooShort(payload.length, HEADER_SIZE);
        }
        if (payload[0] != MAGIC_BYTE) {
            throw InvalidWireFormatException.unknownMagicByte(payload[0]);
        }
        return (payload[1] & 0xff) << 24 | (payload[2] & 0xff) << 16 | (payload[3] & 0xff) << 8 | payload[4] & 0xff;
    }

    /** The header for {@code schemaId}. */
    static byte[] header(final int schemaId) {
        return new byte[] {MAGIC_BYTE, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8),
            (byte) schemaId};
    }
}
