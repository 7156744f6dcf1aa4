package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetStatus;
import dev.budgetmeter.schemas.Unit;
import java.time.Instant;

/**
 * Small operations on a budget's {@link Balance}: its store key, a new budget, and keeping {@code remaining} equal to
 * {@code allocated - spent - reserved - debt} after every change, which every change goes through.
 */
public final class Budgets {

    private Budgets() {
    }

    /** The key of a budget, in its store and on the balances topic: {@code <scope>|<unit>}. */
    public static String key(final String scope, final Unit unit) {
        return scope + "|" + unit;
    }

    /** An ACTIVE budget with nothing spent, reserved or owed. */
    static Balance create(final String scope, final Unit unit, final long now) {
        return Balance.newBuilder().setScope(scope).setUnit(unit).setStatus(BudgetStatus.ACTIVE).setAllocated(0L)
                .setReserved(0L).setSpent(0L).setDebt(0L).setOverdraftLimit(0L).setRemaining(0L)
                .setIsOverLimit(false).setUpdatedAt(Instant.ofEpochMilli(now)).build();
    }

    /** Recomputes remaining and stamps the change; returns the budget. */
    static Balance touch(final Balance budget, final String changedBy, final long now) {
        budget.setRemaining(budget.getAllocated() - budget.getSpent() - budget.getReserved() - budget.getDebt());
        budget.setUpdatedAt(Instant.ofEpochMilli(now));
        budget.setChangedBy(changedBy);
        return budget;
    }

    /** A copy, so that what is emitted is not changed by the next request. */
    static Balance copy(final Balance budget) {
        return Balance.newBuilder(budget).build();
    }
}
