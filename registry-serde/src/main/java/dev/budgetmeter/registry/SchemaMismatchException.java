package dev.budgetmeter.registry;

/**
 * A writer schema and the schema it must be read or written as do not match. On the consumer side (a property of the
 * payload, so the record can be dead-lettered): its record has another full name than the reader class (typically a
 * schema id of another subject, such as a record written to the wrong topic), no generated class exists for it, or
 * Avro schema resolution from writer to reader fails. On the producer side: with {@code use.latest.version}, the
 * subject's latest schema differs from the record's.
 */
public final class SchemaMismatchException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    private final int schemaId;
    private final String writerName;

    private SchemaMismatchException(final int schemaId, final String writerName, final String message) {
        super(message);
        this.schemaId = schemaId;
        this.writerName = writerName;
    }

    /** The writer schema names another record than the reader class. */
    public static SchemaMismatchException otherRecord(
            final int schemaId, final String writerName, final String readerName) {
        return new SchemaMismatchException(schemaId, writerName, "Schema id " + schemaId + " is for record "
                + writerName + ", but this deserializer reads " + readerName
                + " (a schema id of another subject)");
    }

    /** No usable generated SpecificRecord class exists for the writer schema's full name. */
    public static SchemaMismatchException noGeneratedClass(
            final int schemaId, final String writerName, final String why) {
        return new SchemaMismatchException(schemaId, writerName, "Schema id " + schemaId + " is for record "
                + writerName + ", but no generated SpecificRecord class of that name can be used: " + why);
    }

    /**
     * A serializer configured with {@code use.latest.version} got a record whose schema differs from the subject's
     * latest version, which Avro cannot write it with.
     */
    public static SchemaMismatchException latestDiffers(
            final int latestId, final String subject, final String recordName) {
        return new SchemaMismatchException(latestId, recordName, "The latest version of subject '" + subject
                + "' (schema id " + latestId + ") differs from the schema of the record " + recordName
                + " being written; use.latest.version needs them equal");
    }

    /** Same name, but the writer schema cannot be resolved to the reader schema. */
    public static SchemaMismatchException unresolvable(
            final int schemaId, final String writerName, final String readerName, final String detail) {
        return new SchemaMismatchException(schemaId, writerName, "Schema id " + schemaId + " (" + writerName
                + ") cannot be read as " + readerName + ": " + detail);
    }

    /** The schema id the payload carried. */
    public int schemaId() {
        return schemaId;
    }

    /** The full name of the writer schema. */
    public String writerName() {
        return writerName;
    }
}
