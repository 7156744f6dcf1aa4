package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.Balance;

/**
 * The outcome of a budget operation: the budget after it, or why it was refused (then nothing changed).
 *
 * @param budget  the budget after the operation, or null when refused
 * @param refusal a reason code and what was wrong, or null when applied
 */
public record OperationResult(Balance budget, String refusal) {

    static OperationResult applied(final Balance budget) {
        return new OperationResult(budget, null);
    }

    static OperationResult refused(final String refusal) {
        return new OperationResult(null, refusal);
    }
}
