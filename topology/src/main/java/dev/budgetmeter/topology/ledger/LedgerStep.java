package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.schemas.internal.LedgerHold;
import java.util.List;

/**
 * What the ledger does with one request: the hold to store (or to forget), the decision to send when it decided a
 * Reserve, the budgets changed, and the audit record; a request that was applied before changes nothing.
 *
 * @param hold     the hold after the request, or null when there is none to store
 * @param forget   true when the hold is to be deleted
 * @param decision the decision on a Reserve, or null
 * @param changed  the budgets after the request, to store and to publish
 * @param audit    the audit record of the change, or null when nothing changed
 */
public record LedgerStep(LedgerHold hold, boolean forget, Decision decision, List<Balance> changed,
                         AuditRecord audit) {

    public LedgerStep {
        changed = List.copyOf(changed);
    }

    static LedgerStep nothing() {
        return new LedgerStep(null, false, null, List.of(), null);
    }
}
