package dev.budgetmeter.registry;

/**
 * The registry does not know a schema id, typically because a payload was written against another registry or its
 * header is corrupt. Permanent for that id: the record carrying it can be dead-lettered.
 */
public final class UnknownSchemaIdException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    private final int schemaId;

    public UnknownSchemaIdException(final int schemaId, final String registryMessage) {
        super("Schema id " + schemaId + " is not known to the schema registry (" + registryMessage + ")");
        this.schemaId = schemaId;
    }

    /** The id that was asked for. */
    public int schemaId() {
        return schemaId;
    }
}
