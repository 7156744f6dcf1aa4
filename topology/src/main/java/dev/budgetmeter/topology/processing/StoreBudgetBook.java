package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.topology.ledger.BudgetBook;
import dev.budgetmeter.topology.ledger.Budgets;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/** The budgets of a task's tenants, read from its budgets store and written back when a rule changed them. */
final class StoreBudgetBook implements BudgetBook {

    private final KeyValueStore<String, Balance> store;

    StoreBudgetBook(final KeyValueStore<String, Balance> store) {
        this.store = store;
    }

    @Override
    public Balance get(final String scope, final Unit unit) {
        return store.get(Budgets.key(scope, unit));
    }

    void putAll(final List<Balance> budgets) {
        budgets.forEach(budget -> store.put(Budgets.key(budget.getScope(), budget.getUnit()), budget));
    }
}
