package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.DeadLetter;

/** One output record of the lifecycle, routed to its topic by type. */
public sealed interface Emission {

    /** For the commands topic. */
    record Command(BudgetCommand command) implements Emission {
    }

    /** For the audit topic. */
    record Audit(AuditRecord audit) implements Emission {
    }

    /** For the dead-letter topic. */
    record Rejected(DeadLetter deadLetter) implements Emission {
    }
}
