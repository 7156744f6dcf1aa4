package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.BudgetStatus;
import dev.budgetmeter.schemas.ChangeStatus;
import dev.budgetmeter.schemas.Fund;
import dev.budgetmeter.schemas.SetBudget;
import dev.budgetmeter.topology.rules.FieldLimits;
import java.util.Optional;

/**
 * What an operator's change does to a budget (the Cycles admin plane's operations). SetBudget creates the budget,
 * ACTIVE, or sets its allocation, overdraft limit and caps. Funding (refused on a FROZEN or CLOSED budget, as the
 * protocol says): CREDIT and REPAY_DEBT add the amount and repay debt first (the protocol: funding a scope with debt
 * repays the debt, then adds to what remains; the repaid debt becomes spent, so remaining grows by the amount); DEBIT
 * takes from the allocation unless remaining would fall below 0; RESET sets the allocation; RESET_SPENT sets the
 * allocation and spent, keeping reserved and debt. A status change cannot reopen a CLOSED budget. After every
 * applied change a budget no longer over its limit (debt within the overdraft limit, remaining not negative) is
 * cleared of it. Pure; the budget passed in is changed only when the result applies.
 */
final class OperationRules {

    private OperationRules() {
    }

    /** Applies {@code operation} to {@code current}, the budget it names, or null when there is none. */
    static OperationResult apply(final BudgetOperation operation, final Balance current, final long now) {
        final Optional<String> scope = Scopes.problemWith(operation.getScope(), operation.getTenant());
        if (scope.isPresent()) {
            return OperationResult.refused("INVALID_REQUEST: " + scope.get());
        }
        final Object body = operation.getBody();
        final OperationResult result;
        if (body instanceof SetBudget set) {
            result = set(operation, set, current, now);
        } else if (body instanceof Fund fund) {
            result = fund(fund, current);
        } else if (body instanceof ChangeStatus change) {
            result = status(change, current);
        } else {
            result = OperationResult.refused("INVALID_REQUEST: an operation this version does not know");
        }
        if (result.budget() != null) {
            final Balance budget = Budgets.touch(result.budget(), operation.getOperationId(), now);
            if (budget.getDebt() <= budget.getOverdraftLimit() && budget.getRemaining() >= 0) {
                budget.setIsOverLimit(false);
            }
        }
        return result;
    }

    private static OperationResult set(final BudgetOperation operation, final SetBudget set, final Balance current,
                                       final long now) {
        final String amounts = FieldLimits.firstProblem(
                FieldLimits.range("allocated", set.getAllocated(), 0, FieldLimits.MAX_AMOUNT),
                FieldLimits.range("overdraft_limit", set.getOverdraftLimit(), 0, FieldLimits.MAX_AMOUNT));
        if (amounts != null) {
            return OperationResult.refused("INVALID_REQUEST: " + amounts);
        }
        if (current != null && current.getStatus() == BudgetStatus.CLOSED) {
            return OperationResult.refused("BUDGET_CLOSED: the budget is closed");
        }
        final Balance budget = current != null ? current
                : Budgets.create(operation.getScope(), operation.getUnit(), now);
        budget.setAllocated(set.getAllocated());
        budget.setOverdraftLimit(set.getOverdraftLimit());
        budget.setCaps(set.getCaps());
        return OperationResult.applied(budget);
    }

    private static OperationResult fund(final Fund fund, final Balance budget) {
        final String usable = usable(budget);
        if (usable != null) {
            return OperationResult.refused(usable);
        }
        if (budget.getStatus() == BudgetStatus.FROZEN) {
            return OperationResult.refused("BUDGET_FROZEN: a frozen budget takes no funding");
        }
        final long amount = fund.getAmount();
        final String problem = FieldLimits.range("amount", amount, 0, FieldLimits.MAX_AMOUNT);
        if (problem != null) {
            return OperationResult.refused("INVALID_REQUEST: " + problem);
        }
        switch (fund.getKind()) {
            case CREDIT, REPAY_DEBT -> {
                final long repaid = Math.min(amount, budget.getDebt());
                budget.setDebt(budget.getDebt() - repaid);
                budget.setSpent(budget.getSpent() + repaid);
                budget.setAllocated(budget.getAllocated() + amount);
            }
            case DEBIT -> {
                if (budget.getRemaining() - amount < 0) {
                    return OperationResult.refused("BUDGET_EXCEEDED: a debit of " + amount + " would leave "
                            + (budget.getRemaining() - amount) + " remaining");
                }
                budget.setAllocated(budget.getAllocated() - amount);
            }
            case RESET -> budget.setAllocated(amount);
            case RESET_SPENT -> {
                final long spent = fund.getSpent() == null ? 0 : fund.getSpent();
                if (spent < 0) {
                    return OperationResult.refused("INVALID_REQUEST: spent is " + spent + ", outside 0..");
                }
                budget.setAllocated(amount);
                budget.setSpent(spent);
            }
            default -> {
                return OperationResult.refused("INVALID_REQUEST: a funding kind this version does not know");
            }
        }
        return OperationResult.applied(budget);
    }

    private static OperationResult status(final ChangeStatus change, final Balance budget) {
        final String usable = usable(budget);
        if (usable != null) {
            return OperationResult.refused(usable);
        }
        if (change.getStatus() == BudgetStatus.UNKNOWN) {
            return OperationResult.refused("INVALID_REQUEST: a status this version does not know");
        }
        budget.setStatus(change.getStatus());
        return OperationResult.applied(budget);
    }

    /** Why an existing budget cannot change, or null: there must be one, and it must not be closed. */
    private static String usable(final Balance budget) {
        if (budget == null) {
            return "BUDGET_NOT_FOUND: no budget in that scope and unit (set one first)";
        }
        return budget.getStatus() == BudgetStatus.CLOSED ? "BUDGET_CLOSED: the budget is closed" : null;
    }
}
