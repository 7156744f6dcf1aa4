package dev.budgetmeter.cli.audit;

import java.util.Objects;

/**
 * One broken invariant of one reservation, for a person to read. Immutable.
 *
 * @param reservationId the reservation
 * @param rule          the invariant it breaks
 * @param message       what was found, with the numbers and keys involved
 */
public record Finding(String reservationId, Rule rule, String message) {

    public Finding {
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    /** {@code RULE reservation: message}. */
    @Override
    public String toString() {
        return rule + " " + reservationId + ": " + message;
    }
}
