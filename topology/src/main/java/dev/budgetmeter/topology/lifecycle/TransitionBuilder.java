package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the outputs of one transition of one reservation: the commands it issues and the audit records of its
 * steps, and finishes it into a {@link Transition} with the reservation's next deadline.
 */
final class TransitionBuilder {

    final ReservationSnapshot reservation;
    final long now;
    private final Long scheduled;
    private final ReservationStatus from;
    private final String causeEventId;
    private final List<BudgetCommand> commands = new ArrayList<>();
    private final List<AuditRecord> audits = new ArrayList<>();
    private String detail;

    /**
     * @param reservation  the reservation, changed in place by the transition
     * @param scheduled    its deadline before the transition, or null
     * @param from         its status before the transition, or null when it did not exist
     * @param causeEventId the event that causes the transition, or null for a timer
     */
    TransitionBuilder(final ReservationSnapshot reservation, final Long scheduled, final ReservationStatus from,
                      final String causeEventId, final long now) {
        this.reservation = reservation;
        this.scheduled = scheduled;
        this.from = from;
        this.causeEventId = causeEventId;
        this.now = now;
    }

    BudgetCommand command(final String idempotencyKey, final Object body) {
        final BudgetCommand command = Outputs.command(reservation, idempotencyKey, now, causeEventId, body);
        commands.add(command);
        return command;
    }

    /** Audits the transition's final step: the record gets the snapshot as it is when the transition ends. */
    void audit(final AuditKind kind, final String discriminator, final String commandId, final String note) {
        audits.add(Outputs.audit(reservation.getReservationId(), kind, discriminator, now, causeEventId, from, null,
                commandId, note));
    }

    /** Audits a step that another follows within the transition: the record gets a copy of the snapshot now. */
    void auditIntermediate(final AuditKind kind, final String note) {
        audits.add(Outputs.audit(reservation.getReservationId(), kind, null, now, causeEventId, from,
                ReservationSnapshot.newBuilder(reservation).build(), null, note));
    }

    /** Adds a note to the last audit record. */
    void detail(final String text) {
        this.detail = text;
    }

    /** Finishes after an event: the deadline only moves earlier (a check that comes early just reschedules). */
    Transition finishAfterEvent(final long wantedCheckAt) {
        if (scheduled == null || wantedCheckAt < scheduled) {
            reservation.setNextCheckAtMs(wantedCheckAt);
        }
        return finish();
    }

    /** Finishes after a due check: the deadline is exactly the next one wanted. */
    Transition finishAfterCheck(final long wantedCheckAt) {
        reservation.setNextCheckAtMs(wantedCheckAt);
        return finish();
    }

    /** Finishes by forgetting the reservation: its retention ended. */
    Transition forget(final String note) {
        final ReservationStatus status = reservation.getStatus();
        reservation.setNextCheckAtMs(null);
        audits.add(Outputs.audit(reservation.getReservationId(), AuditKind.RETIRED, null, now, null, status, null,
                null, note));
        return new Transition(Transition.Store.DELETE, null, scheduled, commands, audits, null);
    }

    private Transition finish() {
        for (final AuditRecord audit : audits) {
            if (audit.getSnapshot() == null) {
                audit.setSnapshot(reservation);
                audit.setTo(reservation.getStatus());
            }
        }
        if (detail != null && !audits.isEmpty()) {
            final AuditRecord last = audits.get(audits.size() - 1);
            last.setDetail(Lifecycle.join(last.getDetail(), detail));
        }
        return new Transition(Transition.Store.PUT, reservation, scheduled, commands, audits, null);
    }
}
