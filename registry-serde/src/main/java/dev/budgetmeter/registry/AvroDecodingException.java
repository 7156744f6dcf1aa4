package dev.budgetmeter.registry;

/**
 * A payload's header is valid and its writer schema known, but its Avro body does not decode with that schema
 * (truncated, garbage, or trailing bytes). Permanent for that payload.
 */
public final class AvroDecodingException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    private final int schemaId;

    public AvroDecodingException(final int schemaId, final String writerName, final String detail,
            final Throwable cause) {
        super("Payload does not decode with writer schema " + writerName + " (id " + schemaId + "): " + detail,
                cause);
        this.schemaId = schemaId;
    }

    /** The schema id the payload carried. */
    public int schemaId() {
        return schemaId;
    }
}
