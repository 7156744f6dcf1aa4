package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.OveragePolicy;
import dev.budgetmeter.schemas.internal.HoldState;
import dev.budgetmeter.schemas.internal.LedgerHold;
import dev.budgetmeter.schemas.ledger.SettleKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocol's arithmetic when a hold ends or usage is charged, on every budget of the hold at once:
 * <ul>
 *   <li>commit at or below the estimate: the hold returns, the actual is spent;</li>
 *   <li>commit above it, by overage policy: REJECT charges the estimate (the authority refuses more; the rest is
 *       reported uncharged); ALLOW_IF_AVAILABLE charges the estimate plus what the tightest budget still has, and marks
 *       every budget that could not cover the rest over its limit; ALLOW_WITH_OVERDRAFT charges all of it, what a
 *       budget cannot cover becoming its debt (over its limit when the debt passes the overdraft limit: the usage
 *       happened, so it is never refused here);</li>
 *   <li>release and lapse: the hold returns;</li>
 *   <li>debit (a direct charge): the same overage rules against what remains, with no hold to return.</li>
 * </ul>
 * Pure; changes only the budgets and hold it is given.
 */
final class SettlementRules {

    private SettlementRules() {
    }

    /** Ends a HELD hold; the caller has checked it is one. */
    static Charged settle(final LedgerHold hold, final SettleKind kind, final long actual, final List<Balance> budgets,
                          final String requestId, final long now) {
        final long estimate = hold.getEstimate();
        long uncharged = 0;
        if (kind == SettleKind.COMMIT) {
            uncharged = charge(budgets, hold.getOveragePolicy(), estimate, actual);
        }
        for (final Balance budget : budgets) {
            budget.setReserved(Math.max(0, budget.getReserved() - estimate));
            Budgets.touch(budget, requestId, now);
        }
        hold.setState(HoldState.SETTLED);
        applied(hold, requestId);
        return new Charged(budgets, uncharged);
    }

    /** Charges usage with no hold to return. */
    static Charged debit(final LedgerHold hold, final long amount, final List<Balance> budgets,
                         final String requestId, final long now) {
        final long uncharged = charge(budgets, hold.getOveragePolicy(), 0, amount);
        budgets.forEach(budget -> Budgets.touch(budget, requestId, now));
        applied(hold, requestId);
        return new Charged(budgets, uncharged);
    }

    /**
     * Charges {@code actual} against a hold of {@code held} (0 for a debit) on every budget; what a budget has left
     * is its remaining with the hold still counted as reserved, so the hold itself covers the first {@code held}.
     * Returns the part no budget recorded.
     */
    private static long charge(final List<Balance> budgets, final OveragePolicy policy, final long held,
                               final long actual) {
        if (actual <= held) {
            budgets.forEach(budget -> budget.setSpent(budget.getSpent() + actual));
            return 0;
        }
        final long above = actual - held;
        if (policy == OveragePolicy.ALLOW_WITH_OVERDRAFT) {
            for (final Balance budget : budgets) {
                final long covered = Math.min(above, Math.max(0, budget.getRemaining()));
                budget.setSpent(budget.getSpent() + held + covered);
                budget.setDebt(budget.getDebt() + above - covered);
                if (budget.getDebt() > budget.getOverdraftLimit()) {
                    budget.setIsOverLimit(true);
                }
            }
            return 0;
        }
        final long room = policy == OveragePolicy.REJECT ? 0 : roomOf(budgets, above);
        for (final Balance budget : budgets) {
            if (policy != OveragePolicy.REJECT && Math.max(0, budget.getRemaining()) < above) {
                budget.setIsOverLimit(true);
            }
            budget.setSpent(budget.getSpent() + held + room);
        }
        return above - room;
    }

    /** What every budget can still cover of {@code above}: the same for all, so that they stay consistent. */
    private static long roomOf(final List<Balance> budgets, final long above) {
        long room = above;
        for (final Balance budget : budgets) {
            room = Math.min(room, Math.max(0, budget.getRemaining()));
        }
        return room;
    }

    /** Records that a request was applied to the hold, so that it counts once. */
    static void applied(final LedgerHold hold, final String requestId) {
        final List<String> applied = new ArrayList<>(hold.getApplied());
        applied.add(requestId);
        hold.setApplied(applied);
    }

    /** Whether a request was already applied to the hold. */
    static boolean alreadyApplied(final LedgerHold hold, final String requestId) {
        return hold.getApplied().contains(requestId);
    }

    /** An unbudgeted hold, or a refused reservation with no budget, charges nothing and says so. */
    static List<Balance> budgetsOf(final LedgerHold hold, final BudgetBook book) {
        final List<Balance> budgets = new ArrayList<>(hold.getScopes().size());
        for (final String scope : hold.getScopes()) {
            final Balance budget = book.get(scope, hold.getUnit());
            if (budget != null) {
                budgets.add(budget);
            }
        }
        return budgets;
    }
}
