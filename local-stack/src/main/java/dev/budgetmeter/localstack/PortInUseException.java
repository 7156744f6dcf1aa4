package dev.budgetmeter.localstack;

import dev.budgetmeter.localstack.internal.Loopback;

/**
 * A component of the stack could not bind its port on the loopback interface because something else holds it.
 * Thrown before the component is launched when possible, so nothing is left half-started.
 */
public final class PortInUseException extends ComponentStartException {

    private static final long serialVersionUID = 1L;

    private final int port;

    /**
     * @param component the part that needed the port, e.g. {@code "Kafka broker"}
     * @param port      the port that is taken
     * @param cause     the bind failure, or {@code null}
     */
    public PortInUseException(final String component, final int port, final Throwable cause) {
        super(component, "port " + port + " on " + Loopback.HOST + " is already in use by another process;"
                + " free it or configure port 0 in LocalStackOptions to let the stack pick a free one", cause);
        this.port = port;
    }

    /** The port that was taken. */
    public int port() {
        return port;
    }
}
