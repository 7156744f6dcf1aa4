package dev.budgetmeter.localstack;

/**
 * A part of the stack did not come up. The message always says which part, where it should have answered and where
 * its log is (and, for a child process, the last lines of that log), so a failed test run explains itself.
 */
public class ComponentStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String component;

    /**
     * @param component the part that did not come up, e.g. {@code "Kafka broker"}
     * @param message   what went wrong, where, and where the log is
     * @param cause     the underlying failure, or {@code null}
     */
    public ComponentStartException(final String component, final String message, final Throwable cause) {
        super(component + " did not come up: " + message, cause);
        this.component = component;
    }

    /** The part that did not come up, e.g. {@code "Kafka broker"} or {@code "Apicurio schema registry"}. */
    public String component() {
        return component;
    }
}
