package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.ReservationSnapshot;
import java.time.Instant;

/**
 * Builds commands and audit records with deterministic ids, so that reprocessing the same input yields the same ids
 * and the authority applies a command delivered twice only once.
 *
 * <p>Command ids are the protocol's idempotency keys: {@code <reservation>:extend:<n>}, {@code <reservation>:commit},
 * {@code <reservation>:release}, {@code <reservation>:debit:<n>}. Audit ids are
 * {@code <reservation>:<KIND>[:<discriminator>]}.
 */
public final class Outputs {

    private Outputs() {
    }

    public static String extendKey(final String reservationId, final int n) {
        return reservationId + ":extend:" + n;
    }

    /** The id of the request that asks the budget ledger to decide and hold. */
    public static String holdKey(final String reservationId) {
        return reservationId + ":hold";
    }

    public static String commitKey(final String reservationId) {
        return reservationId + ":commit";
    }

    public static String releaseKey(final String reservationId) {
        return reservationId + ":release";
    }

    public static String debitKey(final String reservationId, final int n) {
        return reservationId + ":debit:" + n;
    }

    /** A command about the reservation; {@code body} is an Extend, Commit, Release or Debit. */
    public static BudgetCommand command(final ReservationSnapshot reservation, final String idempotencyKey,
                                       final long now, final String causeEventId, final Object body) {
        return BudgetCommand.newBuilder()
                .setCommandId(idempotencyKey)
                .setReservationId(reservation.getReservationId())
                .setIdempotencyKey(idempotencyKey)
                .setIssuedAt(Instant.ofEpochMilli(now))
                .setCauseEventId(causeEventId)
                .setSubject(reservation.getSubject())
                .setAction(reservation.getAction())
                .setBody(body)
                .build();
    }

    /**
     * An audit record of one transition with its id, reservation, time and kind set; the caller sets the rest.
     *
     * @param discriminator what makes the id unique among transitions of this kind (a seq, an extend number), or
     *                      null for kinds that happen once per reservation
     */
    public static AuditRecord.Builder audit(final String reservationId, final AuditKind kind,
                                            final String discriminator, final long now) {
        return AuditRecord.newBuilder()
                .setAuditId(reservationId + ":" + kind + (discriminator == null ? "" : ":" + discriminator))
                .setReservationId(reservationId)
                .setAt(Instant.ofEpochMilli(now))
                .setKind(kind);
    }
}
