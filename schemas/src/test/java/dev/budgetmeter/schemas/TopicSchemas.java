package dev.budgetmeter.schemas;

import java.util.List;
import org.apache.avro.Schema;

/** The value schemas of the four topics: the contracts that other teams' producers and consumers depend on. */
final class TopicSchemas {

    static final List<Schema> ALL = List.of(
            StreamEvent.getClassSchema(),
            BudgetCommand.getClassSchema(),
            AuditRecord.getClassSchema(),
            DeadLetter.getClassSchema(),
            // Not a topic of its own, but the audit topic carries it and the state stores hold it.
            ReservationSnapshot.getClassSchema(),
            BudgetOperation.getClassSchema(),
            Decision.getClassSchema(),
            Balance.getClassSchema(),
            dev.budgetmeter.schemas.ledger.LedgerRequest.getClassSchema(),
            CommandResult.getClassSchema());

    private TopicSchemas() {
    }
}
