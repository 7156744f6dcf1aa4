package dev.budgetmeter.cli.audit;

import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.DeadLetter;
import java.util.List;

/**
 * What the output topics held, read with read_committed up to their end offsets at one moment: only records of
 * committed transactions, each list in partition order. Immutable.
 *
 * @param commands    the commands topic
 * @param audits      the audit topic
 * @param deadLetters the dead-letter topic
 * @param balances    the latest balance of every budget of the budget ledger (none without it)
 */
public record LedgerSnapshot(List<BudgetCommand> commands, List<AuditRecord> audits, List<DeadLetter> deadLetters,
                             List<Balance> balances) {

    public LedgerSnapshot {
        commands = List.copyOf(commands);
        audits = List.copyOf(audits);
        deadLetters = List.copyOf(deadLetters);
        balances = List.copyOf(balances);
    }

    /** Runs the oracle over this snapshot. */
    public Verdict verify(final Expectations expectations) {
        return LedgerOracle.check(commands, audits, balances, expectations);
    }
}
