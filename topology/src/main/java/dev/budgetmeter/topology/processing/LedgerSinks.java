package dev.budgetmeter.topology.processing;

import java.util.Objects;

/**
 * The names of the nodes the budget ledger forwards to, one per topic.
 *
 * @param decisions the sink of the decisions topic (the workers')
 * @param replies   the sink of the ledger-replies topic (the lifecycle's)
 * @param balances  the sink of the balances topic
 * @param audit     the sink of the audit topic
 * @param deadLetters the sink of the dead-letter topic (budget operations that cannot be read)
 */
public record LedgerSinks(String decisions, String replies, String balances, String audit, String deadLetters) {

    public LedgerSinks {
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(replies, "replies");
        Objects.requireNonNull(balances, "balances");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }
}
