package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.Unit;

/**
 * The budgets of one tenant as the ledger's rules read them. The rules change the budgets they get in place; the
 * caller writes back the ones a result names as changed.
 */
public interface BudgetBook {

    /** The budget of a scope in a unit, or null when there is none. */
    Balance get(String scope, Unit unit);

    /** Whether the scope has a budget in any unit. */
    default boolean hasAnyBudget(final String scope) {
        for (final Unit unit : Unit.values()) {
            if (get(scope, unit) != null) {
                return true;
            }
        }
        return false;
    }
}
