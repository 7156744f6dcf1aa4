package dev.budgetmeter.cli.audit;

import java.util.Objects;

/**
 * One broken invariant of one reservation or one budget, for a person to read. Immutable.
 *
 * @param subject the reservation id, or the budget as {@code <scope>|<unit>}
 * @param rule    the invariant it breaks
 * @param message what was found, with the numbers and keys involved
 */
public record Finding(String subject, Rule rule, String message) {

    public Finding {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    /** {@code RULE subject: message}. */
    @Override
    public String toString() {
        return rule + " " + subject + ": " + message;
    }
}
