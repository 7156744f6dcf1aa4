package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.Balance;
import java.util.List;

/**
 * What a settlement or a debit did to the budgets of a reservation.
 *
 * @param changed   the budgets after it, in canonical order
 * @param uncharged the part of the charge that no budget recorded: above what remained, under a policy that does not
 *                  allow debt (the budgets are then marked over their limit); 0 when all of it was recorded
 */
public record Charged(List<Balance> changed, long uncharged) {

    public Charged {
        changed = List.copyOf(changed);
    }
}
