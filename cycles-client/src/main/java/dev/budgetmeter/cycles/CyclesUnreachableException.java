package dev.budgetmeter.cycles;

/**
 * A request got no answer: the connection failed or the answer did not come within the request timeout. The
 * outcome is unknown (it may have been applied), so the same request may be sent again under the same key. The
 * message names the URL and what failed, never a credential.
 */
public final class CyclesUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CyclesUnreachableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
