package dev.budgetmeter.cli.audit;

import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The budget ledger's latest balances judged against the reservations, the part of the oracle that needs every
 * reservation at once: every latest balance keeps {@code remaining = allocated - spent - reserved - debt}; when nothing was
 * in flight, a budget's reserved amount is the estimates of the holds still open on it (0 once every stream
 * settled: no hold leaked, none returned twice); and, where the workers priced their usage, a budget's spent plus
 * debt is what they priced of the reservations held on it. Pure.
 */
final class BudgetTotals {

    private BudgetTotals() {
    }

    static List<Finding> check(final List<Balance> balances, final List<ReservationTrail> reservations,
                               final Expectations expectations) {
        final List<Finding> findings = new ArrayList<>();
        final Map<String, Long> openHolds = expectations.quiescent() ? openHolds(reservations) : Map.of();
        final Map<String, Balance> byKey = new HashMap<>();
        for (final Balance balance : balances) {
            final String key = key(balance);
            byKey.put(key, balance);
            if (balance.getRemaining() != invariantRemaining(balance)) {
                findings.add(new Finding(key, Rule.BALANCE_INVARIANT, "latest balance: remaining "
                        + Numbers.number(balance.getRemaining()) + " but allocated - spent - reserved - debt is "
                        + Numbers.number(invariantRemaining(balance))));
            }
            if (expectations.quiescent() && balance.getReserved() != openHolds.getOrDefault(key, 0L)) {
                findings.add(new Finding(key, Rule.BUDGET_TOTALS, "reserved " + Numbers.number(
                        balance.getReserved()) + " but the holds still open on it add up to "
                        + Numbers.number(openHolds.getOrDefault(key, 0L))));
            }
        }
        expectations.budgetCharges().forEach((key, priced) -> {
            final Balance balance = byKey.get(key);
            if (balance == null) {
                findings.add(new Finding(key, Rule.BUDGET_TOTALS, "no balance on the balances topic"));
                return;
            }
            final long charged = balance.getSpent() + balance.getDebt();
            if (charged != priced && !(balance.getIsOverLimit() && charged < priced)) {
                findings.add(new Finding(key, Rule.BUDGET_TOTALS, "spent plus debt is "
                        + Numbers.number(charged) + " but the workers priced " + Numbers.number(priced)
                        + " of the reservations held on it" + (balance.getIsOverLimit() ? " (over its limit)" : "")));
            }
        });
        return findings;
    }

    /** Per budget, the estimates of the reservations held on it and not settled. */
    private static Map<String, Long> openHolds(final List<ReservationTrail> reservations) {
        final Map<String, Long> open = new HashMap<>();
        for (final ReservationTrail trail : reservations) {
            if (trail.ledgerHolds().size() != 1 || !trail.ledgerSettlements().isEmpty()
                    || trail.estimate().isEmpty()) {
                continue;
            }
            final long estimate = trail.estimate().get().getAmount();
            final AuditRecord hold = trail.ledgerHolds().get(0);
            hold.getBalances().forEach(balance -> open.merge(key(balance), estimate, Long::sum));
        }
        return open;
    }

    /** What a budget's remaining must be: allocated - spent - reserved - debt. */
    static long invariantRemaining(final Balance balance) {
        return balance.getAllocated() - balance.getSpent() - balance.getReserved() - balance.getDebt();
    }

    /** A budget as the balances topic keys it. */
    static String key(final Balance balance) {
        return balance.getScope() + "|" + balance.getUnit();
    }
}
