package dev.budgetmeter.registry;

/**
 * The registry answered a request with an error that none of the more precise types describes: a client error such
 * as 401/403 (credentials), 422 (invalid schema) or 400. Retrying the same request will not help.
 */
public final class SchemaRegistryRequestException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    /**
     * @param request the method and URL of the request, without credentials
     * @param status the HTTP status
     * @param errorCode the registry's {@code error_code}, or the status when the body had none
     * @param registryMessage the registry's {@code message}, or the raw body
     */
    public SchemaRegistryRequestException(
            final String request, final int status, final int errorCode, final String registryMessage) {
        super("Schema registry refused " + request + ": HTTP " + status + " (error " + errorCode + "): "
                + registryMessage);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The registry's {@code error_code} (Confluent codes such as 42201), or the HTTP status when absent. */
    public int errorCode() {
        return errorCode;
    }
}
