package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetStatus;
import dev.budgetmeter.schemas.Caps;
import dev.budgetmeter.schemas.DecisionKind;
import dev.budgetmeter.schemas.internal.HoldState;
import dev.budgetmeter.schemas.internal.LedgerHold;
import dev.budgetmeter.schemas.ledger.HoldRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The decision on a Reserve, as the Cycles protocol takes it: over every budgeted scope of the subject (in canonical
 * order, tenant first), the checks in the protocol's order, the first failure winning: FROZEN (BUDGET_FROZEN),
 * CLOSED (BUDGET_CLOSED), over its limit (OVERDRAFT_LIMIT_EXCEEDED), debt owed without an overdraft
 * (DEBT_OUTSTANDING), remaining below the estimate (BUDGET_EXCEEDED); no budgeted scope at all: UNIT_MISMATCH when
 * one has a budget in another unit, else BUDGET_NOT_FOUND, unless unbudgeted subjects are allowed. Allowed: the
 * estimate is held on every budgeted scope, all or none. Pure; changes only the budgets it returns.
 */
final class ReserveRules {

    private final boolean allowUnbudgeted;

    ReserveRules(final boolean allowUnbudgeted) {
        this.allowUnbudgeted = allowUnbudgeted;
    }

    Decided decide(final String reservationId, final HoldRequest request, final BudgetBook book, final long now) {
        final List<String> scopes = Scopes.of(request.getSubject());
        final List<Balance> budgets = new ArrayList<>();
        for (final String scope : scopes) {
            final Balance budget = book.get(scope, request.getEstimate().getUnit());
            if (budget != null) {
                budgets.add(budget);
            }
        }
        if (budgets.isEmpty()) {
            if (allowUnbudgeted) {
                return new Decided(DecisionKind.ALLOW, null, null, null, hold(reservationId, request, List.of(),
                        HoldState.HELD, now), List.of(), List.of());
            }
            final boolean otherUnit = scopes.stream().anyMatch(book::hasAnyBudget);
            return refused(reservationId, request, otherUnit ? "UNIT_MISMATCH" : "BUDGET_NOT_FOUND", null, budgets,
                    now);
        }
        for (final Balance budget : budgets) {
            final String refusal = refusal(budget, request.getEstimate().getAmount());
            if (refusal != null) {
                return refused(reservationId, request, refusal, budget.getScope(), budgets, now);
            }
        }
        final List<Caps> caps = new ArrayList<>();
        for (final Balance budget : budgets) {
            budget.setReserved(budget.getReserved() + request.getEstimate().getAmount());
            Budgets.touch(budget, reservationId, now);
            caps.add(budget.getCaps());
        }
        final Caps merged = CapsMerge.of(caps);
        return new Decided(merged == null ? DecisionKind.ALLOW : DecisionKind.ALLOW_WITH_CAPS, null, null, merged,
                hold(reservationId, request, budgets, HoldState.HELD, now), budgets, budgets);
    }

    /** The first check a budget fails, in the protocol's order, or null. */
    private static String refusal(final Balance budget, final long estimate) {
        if (budget.getStatus() == BudgetStatus.FROZEN) {
            return "BUDGET_FROZEN";
        }
        if (budget.getStatus() == BudgetStatus.CLOSED) {
            return "BUDGET_CLOSED";
        }
        if (budget.getStatus() != BudgetStatus.ACTIVE) {
            // A status newer than this version: refused rather than guessed at.
            return "BUDGET_FROZEN";
        }
        if (budget.getIsOverLimit()) {
            return "OVERDRAFT_LIMIT_EXCEEDED";
        }
        if (budget.getDebt() > 0 && budget.getOverdraftLimit() == 0) {
            return "DEBT_OUTSTANDING";
        }
        return budget.getRemaining() < estimate ? "BUDGET_EXCEEDED" : null;
    }

    /** Refused: nothing held, but the budgets are kept on the hold so that usage of it is still charged to them. */
    private static Decided refused(final String reservationId, final HoldRequest request, final String reason,
                                   final String deniedScope, final List<Balance> budgets, final long now) {
        return new Decided(DecisionKind.DENY, reason, deniedScope, null,
                hold(reservationId, request, budgets, HoldState.REFUSED, now), List.of(), budgets);
    }

    private static LedgerHold hold(final String reservationId, final HoldRequest request, final List<Balance> budgets,
                                   final HoldState state, final long now) {
        return LedgerHold.newBuilder()
                .setReservationId(reservationId)
                .setState(state)
                .setUnit(request.getEstimate().getUnit())
                .setEstimate(request.getEstimate().getAmount())
                .setOveragePolicy(request.getOveragePolicy())
                .setScopes(budgets.stream().map(Balance::getScope).toList())
                .setExpiresAtMs(request.getExpiresAtMs())
                .setHeldAtMs(now)
                .build();
    }
}
