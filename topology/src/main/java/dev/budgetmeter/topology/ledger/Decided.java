package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.Caps;
import dev.budgetmeter.schemas.DecisionKind;
import dev.budgetmeter.schemas.internal.LedgerHold;
import java.util.List;

/**
 * The outcome of a Reserve: the decision, the hold to keep (HELD, or REFUSED so that usage of the reservation is
 * still charged to its budgets) and the budgets changed (those that hold the estimate; none when refused).
 *
 * @param decision     ALLOW, ALLOW_WITH_CAPS or DENY
 * @param reasonCode   why it was refused, or null
 * @param deniedScope  the scope whose budget refused it, or null
 * @param caps         the merged caps with ALLOW_WITH_CAPS, else null
 * @param hold         what the ledger keeps of the reservation
 * @param changed      the budgets after the hold, in canonical order
 * @param affected     the budgeted scopes, in canonical order
 */
public record Decided(DecisionKind decision, String reasonCode, String deniedScope, Caps caps, LedgerHold hold,
                      List<Balance> changed, List<Balance> affected) {

    public Decided {
        changed = List.copyOf(changed);
        affected = List.copyOf(affected);
    }

    /** Whether the reservation may go on. */
    public boolean allowed() {
        return decision == DecisionKind.ALLOW || decision == DecisionKind.ALLOW_WITH_CAPS;
    }
}
