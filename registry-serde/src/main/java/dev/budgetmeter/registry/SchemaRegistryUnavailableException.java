package dev.budgetmeter.registry;

import java.util.List;

/**
 * The registry could not be reached or answered with a server error on every attempt, within the configured
 * timeouts and retries.
 *
 * <p>This is a transient condition of the infrastructure, never a property of the record being (de)serialized: a
 * consumer must retry or stop, and must not dead-letter the record.
 */
public final class SchemaRegistryUnavailableException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    private final List<String> urlsTried;
    private final int attempts;

    /**
     * @param urlsTried the registry base URLs tried, without credentials
     * @param attempts how many requests were sent
     * @param elapsedMs how long the attempts took in total
     * @param lastFailure what went wrong on the last attempt
     * @param cause the last I/O failure, or null when the last attempt got a server error
     */
    public SchemaRegistryUnavailableException(
            final List<String> urlsTried,
            final int attempts,
            final long elapsedMs,
            final String lastFailure,
            final Throwable cause) {
        super("Schema registry unavailable at " + urlsTried + " after " + attempts + " attempt(s) in " + elapsedMs
                + " ms; last failure: " + lastFailure, cause);
        this.urlsTried = List.copyOf(urlsTried);
        this.attempts = attempts;
    }

    /** The registry base URLs that were tried, in order, without credentials. */
    public List<String> urlsTried() {
        return urlsTried;
    }

    /** How many requests were sent before giving up. */
    public int attempts() {
        return attempts;
    }
}
