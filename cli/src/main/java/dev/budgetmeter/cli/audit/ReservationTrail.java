package dev.budgetmeter.cli.audit;

import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the commands and audit topics hold about one reservation, each list in topic order (one reservation
 * lives in one partition, so that is the order the topology wrote them). Immutable.
 *
 * @param reservationId the reservation
 * @param commands      its commands
 * @param audits        its audit records
 */
public record ReservationTrail(String reservationId, List<BudgetCommand> commands, List<AuditRecord> audits) {

    public ReservationTrail {
        Objects.requireNonNull(reservationId, "reservationId");
        commands = List.copyOf(commands);
        audits = List.copyOf(audits);
    }

    /** The Commit and Release commands, in order. */
    public List<BudgetCommand> terminals() {
        return commands.stream().filter(ReservationTrail::isTerminal).toList();
    }

    /** Position of the first Commit or Release among the commands, or -1. */
    public int firstTerminalIndex() {
        for (int i = 0; i < commands.size(); i++) {
            if (isTerminal(commands.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The HOLD_LAPSED audit records: a hold that lapsed unsettled ends its reservation without a command. */
    public List<AuditRecord> lapses() {
        return audits(AuditKind.HOLD_LAPSED);
    }

    /** The budget ledger's refusals of the Reserve, as the lifecycle recorded them: an ending without a command. */
    public List<AuditRecord> refusals() {
        return audits(AuditKind.RESERVE_REFUSED);
    }

    /**
     * How many times the reservation ended: Commits, Releases, lapses and refusals. Exactly one is right once it has
     * ended.
     */
    public int endings() {
        return terminals().size() + lapses().size() + refusals().size();
    }

    /**
     * Whether these are the records of an operator's budget operation rather than of a reservation: the ledger
     * audits an operation under its operation id (applied, refused, or a duplicate of one of those).
     */
    public boolean isBudgetOperation() {
        return !audits(AuditKind.BUDGET_CHANGED).isEmpty() || !audits(AuditKind.BUDGET_OPERATION_REFUSED).isEmpty();
    }

    /** The budget ledger's hold of the reservation's estimate (one record over all its budgets), if it held. */
    public List<AuditRecord> ledgerHolds() {
        return audits(AuditKind.BUDGET_HELD);
    }

    /** The budget ledger's settlements of the hold (commit, release or lapse), debits left out. */
    public List<AuditRecord> ledgerSettlements() {
        return audits(AuditKind.BUDGET_SETTLED).stream()
                .filter(audit -> !audit.getAuditId().contains(":BUDGET_SETTLED:debit:")).toList();
    }

    /** The reservation as it was opened: the RESERVED record's snapshot, else the first snapshot there is. */
    public Optional<ReservationSnapshot> openingSnapshot() {
        return audits(AuditKind.RESERVED).stream().map(AuditRecord::getSnapshot).filter(Objects::nonNull).findFirst()
                .or(() -> audits.stream().map(AuditRecord::getSnapshot).filter(Objects::nonNull).findFirst());
    }

    /** The estimate the Reserve held, from the first audit record that carries a snapshot. */
    public Optional<Amount> estimate() {
        return audits.stream().filter(audit -> audit.getSnapshot() != null).findFirst()
                .map(audit -> audit.getSnapshot().getEstimate());
    }

    /** The status after the newest audit record that names one; empty without such a record. */
    public Optional<ReservationStatus> auditedStatus() {
        for (int i = audits.size() - 1; i >= 0; i--) {
            if (audits.get(i).getTo() != null) {
                return Optional.of(audits.get(i).getTo());
            }
        }
        return Optional.empty();
    }

    /** The audit record of the transition that issued {@code commandId}, if any. */
    public Optional<AuditRecord> auditOf(final String commandId) {
        return audits.stream().filter(audit -> commandId.equals(audit.getCommandId())).findFirst();
    }

    /** The audit records of a kind, in order. */
    public List<AuditRecord> audits(final AuditKind kind) {
        return audits.stream().filter(audit -> audit.getKind() == kind).toList();
    }

    public List<BudgetCommand> extendCommands() {
        return commands.stream().filter(command -> command.getBody() instanceof Extend).toList();
    }

    public List<BudgetCommand> debitCommands() {
        return commands.stream().filter(command -> command.getBody() instanceof Debit).toList();
    }

    /** What the Commit (if the reservation was committed) and every Debit charge together. */
    public long charged() {
        long total = 0;
        for (final BudgetCommand command : commands) {
            if (command.getBody() instanceof Commit commit) {
                total += commit.getActual().getAmount();
            } else if (command.getBody() instanceof Debit debit) {
                total += debit.getActual().getAmount();
            }
        }
        return total;
    }

    static boolean isTerminal(final BudgetCommand command) {
        return command.getBody() instanceof Commit || command.getBody() instanceof Release;
    }
}
