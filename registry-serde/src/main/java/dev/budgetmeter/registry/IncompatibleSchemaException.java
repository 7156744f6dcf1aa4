package dev.budgetmeter.registry;

/**
 * The registry refused to register a schema under a subject because it breaks the subject's compatibility level
 * (HTTP 409). Carries the subject and the registry's own explanation.
 */
public final class IncompatibleSchemaException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    private final String subject;
    private final String registryMessage;

    public IncompatibleSchemaException(final String subject, final String registryMessage) {
        super("Schema is incompatible with subject '" + subject + "' (409): " + registryMessage);
        this.subject = subject;
        this.registryMessage = registryMessage;
    }

    /** The subject the schema was registered under. */
    public String subject() {
        return subject;
    }

    /** The registry's explanation, verbatim. */
    public String registryMessage() {
        return registryMessage;
    }
}
