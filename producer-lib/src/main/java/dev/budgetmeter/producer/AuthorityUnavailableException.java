package dev.budgetmeter.producer;

/**
 * The budget authority (a Cycles server) gave no final answer to a reserve within the meter's decision timeout: it
 * could not be reached, kept answering 5xx, or kept throttling. Nothing was written to Kafka. The message names the
 * server's URL and its last answer (or why none came), never a credential. Opening the same
 * {@link StreamReservation} again sends the same idempotency key, so a reservation the server did make is not made
 * twice.
 */
public final class AuthorityUnavailableException extends BudgetMeterException {

    private static final long serialVersionUID = 1L;

    AuthorityUnavailableException(final String message) {
        super(message);
    }
}
