package dev.budgetmeter.reliability.support;

import dev.budgetmeter.registry.serde.WireFormat;
import java.nio.ByteBuffer;

/** Edits Confluent wire-format payloads (magic byte, big-endian schema id, Avro binary) for fault injection. */
public final class WirePayloads {

    private WirePayloads() {
    }

    /** A copy of {@code payload} whose header names {@code schemaId}; the Avro binary is untouched. */
    public static byte[] withSchemaId(final byte[] payload, final int schemaId) {
        final byte[] copy = payload.clone();
        copy[0] = WireFormat.MAGIC_BYTE;
        ByteBuffer.wrap(copy, 1, 4).putInt(schemaId);
        return copy;
    }
}
