package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ledger.LedgerRequest;
import dev.budgetmeter.topology.rules.Rejection;
import java.util.List;

/**
 * The outcome of applying one event or one due check to a reservation: what to store, what to emit, and where its
 * deadlines were and are, so the caller can move its entries in the deadline index.
 *
 * @param store     what to do with the stored reservation
 * @param snapshot  the reservation after the transition (null when it was forgotten or never existed)
 * @param before    its deadlines before the transition
 * @param after     its deadlines after it ({@link Deadlines#NONE} when it is forgotten)
 * @param commands  commands to emit, in order
 * @param ledgerRequests what to ask of the budget ledger, in order (none with an external authority)
 * @param audits    audit records to emit, in order
 * @param rejection set when the event is refused and must be dead-lettered
 */
public record Transition(Store store, ReservationSnapshot snapshot, Deadlines before, Deadlines after,
                         List<BudgetCommand> commands, List<LedgerRequest> ledgerRequests, List<AuditRecord> audits,
                         Rejection rejection) {

    /** What the caller does with the stored reservation. */
    public enum Store {
        /** Nothing changed. */
        KEEP,
        /** Write the snapshot. */
        PUT,
        /**
         * Write only the snapshot's usage fields (token sums, the provider's totals, applied seqs, event times, the
         * events not yet audited): nothing else changed, so the rest as stored is still right.
         */
        USAGE,
        /** Delete the reservation (a changelog tombstone). */
        DELETE
    }

    public Transition {
        commands = immutable(commands);
        ledgerRequests = immutable(ledgerRequests);
        audits = immutable(audits);
    }

    // Most transitions (a chunk's) have empty lists: List.of() then, without copying an empty array per event.
    private static <T> List<T> immutable(final List<T> list) {
        return list.isEmpty() ? List.of() : List.copyOf(list);
    }
}
