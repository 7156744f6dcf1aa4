package dev.budgetmeter.registry;

import java.util.Locale;

/**
 * A payload is not in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary). The
 * {@link #reason()} says which rule was broken.
 */
public final class InvalidWireFormatException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    /** Which rule of the wire format a payload broke. */
    public enum Reason {
        /** Fewer bytes than the 5-byte header. */
        TOO_SHORT,
        /** The first byte is not 0. */
        UNKNOWN_MAGIC_BYTE
    }

    private final Reason reason;

    private InvalidWireFormatException(final Reason reason, final String message) {
        super(message);
        this.reason = reason;
    }

    /** A payload shorter than the header. */
    public static InvalidWireFormatException tooShort(final int length, final int headerSize) {
        return new InvalidWireFormatException(Reason.TOO_SHORT, "Payload too short: " + length
                + " byte(s), the wire format needs at least " + headerSize
                + " (magic byte 0 and a 4-byte schema id)");
    }

    /** A payload whose first byte is not the magic byte. */
    public static InvalidWireFormatException unknownMagicByte(final byte found) {
        return new InvalidWireFormatException(Reason.UNKNOWN_MAGIC_BYTE, String.format(Locale.ROOT,
                "Unknown magic byte 0x%02x: the wire format starts with 0x00", found));
    }

    /** Which rule was broken. */
    public Reason reason() {
        return reason;
    }
}
