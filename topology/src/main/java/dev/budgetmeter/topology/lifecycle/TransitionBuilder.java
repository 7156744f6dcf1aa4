package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.IgnoredField;
import dev.budgetmeter.schemas.Overage;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.UsageCovered;
import dev.budgetmeter.schemas.ledger.LedgerRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what one transition of one reservation does: the commands it issues, the steps it audits and the fields
 * of its event it ignored. Audit records are built once, when the transition finishes, so each carries the snapshot
 * of its moment: the final state for the transition's last steps, a copy for a step another one follows. The first
 * record of a transition also takes the events applied since the reservation's previous audit record
 * ({@link UnauditedUsage}) and names them in its {@code usage} field.
 */
final class TransitionBuilder {

    final ReservationSnapshot reservation;
    final long now;
    final ReservationStatus from;
    final Deadlines before;
    private final String causeEventId;
    private final List<IgnoredField> ignored = new ArrayList<>();
    private final List<BudgetCommand> commands = new ArrayList<>();
    private final List<LedgerRequest> ledgerRequests = new ArrayList<>();
    private final boolean ledger;
    private final List<Step> steps = new ArrayList<>();
    /** The events the transition's first audit record accounts for, taken when that step is added. */
    private UsageCovered covered;

    /** A step to audit; {@code snapshot} is a copy of its moment, or null for the state the transition ends in. */
    private record Step(AuditKind kind, String discriminator, String commandId, String detail, Overage overage,
                        ReservationSnapshot snapshot, List<Balance> balances) {
    }

    /**
     * @param reservation  the reservation, changed in place by the transition
     * @param from         its status before the transition, or null when it did not exist
     * @param causeEventId the event that causes the transition, or null for a timer
     * @param before       its deadlines before the transition
     * @param ledger       whether settlements go to the budget ledger too
     */
    TransitionBuilder(final ReservationSnapshot reservation, final ReservationStatus from, final String causeEventId,
                      final long now, final Deadlines before, final boolean ledger) {
        this.ledger = ledger;
        this.reservation = reservation;
        this.from = from;
        this.causeEventId = causeEventId;
        this.now = now;
        this.before = before;
    }

    /** The event that causes the transition, or null for a timer. */
    String causeEventId() {
        return causeEventId;
    }

    /** Fields of the causing event that were not applied; the audit record of its outcome lists them. */
    void ignore(final List<IgnoredField> fields) {
        ignored.addAll(fields);
    }

    BudgetCommand command(final String idempotencyKey, final Object body) {
        final BudgetCommand command = Outputs.command(reservation, idempotencyKey, now, causeEventId, body);
        commands.add(command);
        return command;
    }

    /**
     * Asks the budget ledger to apply what the transition did, when there is one: {@code requestId} is the command's
     * idempotency key, or the step's own deterministic id.
     */
    void ledger(final String requestId, final Object body) {
        if (ledger) {
            ledgerRequests.add(LedgerRequest.newBuilder().setRequestId(requestId)
                    .setReservationId(reservation.getReservationId()).setTenant(reservation.getSubject().getTenant())
                    .setAt(Instant.ofEpochMilli(now)).setBody(body).build());
        }
    }

    /** Whether the budget ledger decides Reserves and applies settlements. */
    boolean ledgerMode() {
        return ledger;
    }

    /** Audits a step whose record gets the snapshot the transition ends with. */
    void audit(final AuditKind kind, final String discriminator, final String commandId, final String detail) {
        audit(kind, discriminator, commandId, detail, null);
    }

    /** Audits a step that charged an overage above the estimate. */
    void audit(final AuditKind kind, final String discriminator, final String commandId, final String detail,
               final Overage overage) {
        add(new Step(kind, discriminator, commandId, detail, overage, null, List.of()));
    }

    /** Audits a step with the budgets it concerns (a decision of the ledger, as the lifecycle learns it). */
    void audit(final AuditKind kind, final String detail, final List<Balance> balances) {
        add(new Step(kind, null, null, detail, null, null, balances));
    }

    /** Audits a step that another follows within the transition: its record gets a copy of the snapshot now. */
    void auditIntermediate(final AuditKind kind, final String detail) {
        takeUsage();
        add(new Step(kind, null, null, detail, null, ReservationSnapshot.newBuilder(reservation).build(),
                List.of()));
    }

    private void add(final Step step) {
        takeUsage();
        steps.add(step);
    }

    /** Before the first step: its record accounts for the events not audited yet, so its snapshot shows none. */
    private void takeUsage() {
        if (steps.isEmpty() && covered == null) {
            covered = UnauditedUsage.take(reservation);
        }
    }

    /**
     * Whether the transition so far changed nothing but the reservation's usage fields (see
     * {@link Transition.Store#USAGE}): no step audited, no command, no request to the ledger, no ignored field, the
     * same status.
     */
    boolean onlyUsage() {
        return steps.isEmpty() && commands.isEmpty() && ledgerRequests.isEmpty() && ignored.isEmpty()
                && reservation.getStatus() == from;
    }

    /**
     * Finishes a transition that changed only the usage fields and, at most, audited them: only those are stored.
     * Deadlines that moved need the whole snapshot stored (it records them), so then it finishes as {@link #finish}.
     */
    Transition finishUsage(final Deadlines after) {
        if (!after.equals(before) || !commands.isEmpty() || !ledgerRequests.isEmpty() || !ignored.isEmpty()
                || reservation.getStatus() != from) {
            return finish(after);
        }
        return new Transition(Transition.Store.USAGE, reservation, before, after, commands, ledgerRequests,
                audits(reservation, false), null);
    }

    /** Finishes with the reservation stored and scheduled at {@code after}. */
    Transition finish(final Deadlines after) {
        reservation.setNextCheckAtMs(after.hold());
        reservation.setNextInputCheckAtMs(after.input());
        return new Transition(Transition.Store.PUT, reservation, before, after, commands, ledgerRequests,
                audits(reservation, false), null);
    }

    /** Finishes by forgetting the reservation: its retention ended. */
    Transition forget(final String note) {
        add(new Step(AuditKind.RETIRED, null, null, note, null, null, List.of()));
        return new Transition(Transition.Store.DELETE, null, before, Deadlines.NONE, commands, ledgerRequests,
                audits(reservation, true), null);
    }

    private List<AuditRecord> audits(final ReservationSnapshot last, final boolean forgotten) {
        final List<AuditRecord> audits = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            final Step step = steps.get(i);
            final boolean retired = forgotten && i == steps.size() - 1;
            final ReservationSnapshot snapshot = retired ? null : step.snapshot() != null ? step.snapshot() : last;
            audits.add(Outputs.audit(reservation.getReservationId(), step.kind(), step.discriminator(), now)
                    .setCauseEventId(causeEventId)
                    .setFrom(from)
                    .setTo(snapshot == null ? null : snapshot.getStatus())
                    .setCommandId(step.commandId())
                    .setDetail(step.detail())
                    .setSnapshot(snapshot)
                    .setOverage(step.overage())
                    .setIgnored(i == steps.size() - 1 ? List.copyOf(ignored) : List.of())
                    .setBalances(step.balances())
                    .setUsage(i == 0 ? covered : null)
                    .build());
        }
        return audits;
    }
}
