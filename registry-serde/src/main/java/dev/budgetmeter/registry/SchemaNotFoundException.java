package dev.budgetmeter.registry;

/**
 * A subject does not exist, or does not hold the given schema (HTTP 404 on a lookup or on "latest"). Raised by a
 * serializer that may not auto-register when its schema was never registered.
 */
public final class SchemaNotFoundException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    private final String subject;

    public SchemaNotFoundException(final String subject, final String registryMessage) {
        super("Subject '" + subject + "' does not hold the requested schema: " + registryMessage);
        this.subject = subject;
    }

    /** The subject that was searched. */
    public String subject() {
        return subject;
    }
}
