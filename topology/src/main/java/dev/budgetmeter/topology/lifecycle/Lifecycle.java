package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * The lifecycle of one reservation as pure functions: an event or a due check in, a {@link Transition} out. No I/O
 * and no clock: {@code now} is passed in, so every path is deterministic.
 *
 * <p>Guarantees, per reservation: at most one Commit or Release, ever; Extends numbered 1..n with n at most
 * {@code maxExtensions}, never after the hold expired; every billable token observed is charged by the Commit or by a
 * Debit after it (or waived by a Release under {@link FailurePolicy#RELEASE}); an event is applied at most once
 * (its {@code seq} is its idempotency key within the reservation); every change is audited with the snapshot after it.
 *
 * <p>The snapshot passed in is owned by the caller's store read and is modified in place.
 */
public final class Lifecycle {

    static final String DEFAULT_FAILED_REASON = "stream_error";
    static final String DEFAULT_CANCELLED_REASON = "cancelled";
    static final String IDLE_TIMEOUT_REASON = "idle_timeout";
    static final String HOLD_EXPIRED_REASON = "hold_expired";
    static final String MAX_EXTENSIONS_REASON = "max_extensions";
    static final String LATE_USAGE_REASON = "usage_after_settlement";

    private final MeteringPolicy policy;
    private final Billing billing;

    public Lifecycle(final MeteringPolicy policy) {
        this.policy = policy;
        this.billing = new Billing(policy.prices());
    }

    /**
     * Applies one event of a known reservation, or a Reserve of an unknown one.
     *
     * @param current    the stored reservation, or null when unknown (then the event must be a Reserve: the caller
     *                   buffers other events of unknown reservations)
     * @param occurrence where this copy of the event was read (for example partition and offset), to tell apart the
     *                   audit records of duplicates
     * @param now        topology time (wall clock)
     */
    public Transition onEvent(final ReservationSnapshot current, final StreamEvent event, final String occurrence,
                              final long now) {
        final Object body = event.getBody();
        if (current == null) {
            if (!(body instanceof Reserve reserve)) {
                throw new IllegalArgumentException("no reservation " + event.getReservationId()
                        + ": only a Reserve opens one");
            }
            return open(event, reserve, now);
        }
        if (body instanceof Reserve reserve) {
            return reserveAgain(current, event, reserve, occurrence, now);
        }
        if (isApplied(current, event.getSeq())) {
            return ignored(current, event, AuditKind.DUPLICATE_IGNORED, event.getSeq() + ":" + occurrence, now,
                    "seq " + event.getSeq() + " was already applied");
        }
        if (body instanceof Usage usage && usage.getActual() != null
                && usage.getActual().getUnit() != current.getEstimate().getUnit()) {
            return rejected(current, event, now, new Rejection(DeadLetterReason.UNIT_MISMATCH,
                    "Usage.actual is in " + usage.getActual().getUnit() + " but the reservation's estimate is in "
                            + current.getEstimate().getUnit()));
        }
        final Long scheduled = current.getNextCheckAtMs();
        final ReservationStatus from = current.getStatus();
        markApplied(current, event.getSeq());
        current.setLastEventAtMs(Math.max(current.getLastEventAtMs(), event.getOccurredAt().toEpochMilli()));
        current.setLastActivityMs(now);
        final TransitionBuilder step = new TransitionBuilder(current, scheduled, from, event.getEventId(), now);
        if (from == ReservationStatus.ACTIVE) {
            applyToActive(step, body, event);
        } else {
            applyAfterSettlement(step, body, event);
        }
        return step.finishAfterEvent(nextCheckAt(step.reservation));
    }

    /**
     * Runs the due check of a reservation: heartbeat, idle timeout, exhausted extensions, hold expiry, or the end of
     * a settled reservation's retention. A check that finds nothing due only reschedules.
     */
    public Transition onCheck(final ReservationSnapshot current, final long now) {
        final TransitionBuilder step = new TransitionBuilder(current, current.getNextCheckAtMs(), current.getStatus(), null, now);
        if (current.getStatus() != ReservationStatus.ACTIVE) {
            if (now >= current.getSettledAtMs() + policy.retentionMs()) {
                return step.forget("retention of " + policy.retentionMs() + " ms ended");
            }
            return step.finishAfterCheck(nextCheckAt(current));
        }
        final long ttl = current.getTtlMs();
        final long idleTimeout = policy.idleTimeoutMs(ttl);
        if (now >= current.getLastActivityMs() + idleTimeout) {
            settleAbandoned(step, IDLE_TIMEOUT_REASON, "no event for " + idleTimeout + " ms");
        } else if (now > current.getExpiresAtMs()) {
            settleAbandoned(step, HOLD_EXPIRED_REASON, "the hold expired at " + current.getExpiresAtMs()
                    + " before it could be extended");
        } else if (now >= current.getExpiresAtMs() - policy.extendLeadMs(ttl)) {
            if (current.getExtensions() < policy.maxExtensions()) {
                Settlements.extend(step);
            } else {
                step.auditIntermediate(AuditKind.EXTENSIONS_EXHAUSTED,
                        "all " + policy.maxExtensions() + " extensions used: settling before the hold expires");
                settleAbandoned(step, MAX_EXTENSIONS_REASON, "extensions exhausted");
            }
        }
        return step.finishAfterCheck(nextCheckAt(current));
    }

    /**
     * When the reservation next needs a look: for a live one the earlier of its idle deadline and the moment its
     * hold needs an extend (or, extensions exhausted, a settlement); for a settled one the end of its retention.
     */
    public long nextCheckAt(final ReservationSnapshot reservation) {
        if (reservation.getStatus() != ReservationStatus.ACTIVE) {
            return reservation.getSettledAtMs() + policy.retentionMs();
        }
        final long ttl = reservation.getTtlMs();
        return Math.min(reservation.getLastActivityMs() + policy.idleTimeoutMs(ttl),
                reservation.getExpiresAtMs() - policy.extendLeadMs(ttl));
    }

    private Transition open(final StreamEvent event, final Reserve reserve, final long now) {
        final long occurredAt = event.getOccurredAt().toEpochMilli();
        final ReservationSnapshot reservation = ReservationSnapshot.newBuilder()
                .setReservationId(event.getReservationId())
                .setStatus(ReservationStatus.ACTIVE)
                .setReserveEventId(event.getEventId())
                .setSubject(reserve.getSubject())
                .setAction(reserve.getAction())
                .setEstimate(reserve.getEstimate())
                .setPricing(reserve.getPricing())
                .setTtlMs(reserve.getTtlMs())
                .setGracePeriodMs(reserve.getGracePeriodMs())
                .setOveragePolicy(reserve.getOveragePolicy())
                .setExpiresAtMs(reserve.getExpiresAtMs() != null ? reserve.getExpiresAtMs() : occurredAt + reserve.getTtlMs())
                .setFirstEventAtMs(occurredAt)
                .setLastEventAtMs(occurredAt)
                .setLastActivityMs(now)
                .setAppliedSeqWatermark(-1L)
                .setMetadata(reserve.getMetadata())
                .build();
        markApplied(reservation, event.getSeq());
        final TransitionBuilder step = new TransitionBuilder(reservation, null, null, event.getEventId(), now);
        step.audit(AuditKind.RESERVED, null, null, null);
        return step.finishAfterEvent(nextCheckAt(step.reservation));
    }

    private Transition reserveAgain(final ReservationSnapshot current, final StreamEvent event, final Reserve reserve,
                                    final String occurrence, final long now) {
        final boolean sameReserve = event.getEventId().equals(current.getReserveEventId())
                || (reserve.getEstimate().equals(current.getEstimate())
                && reserve.getSubject().equals(current.getSubject())
                && reserve.getAction().equals(current.getAction()));
        if (sameReserve) {
            return ignored(current, event, AuditKind.DUPLICATE_IGNORED, "reserve:" + occurrence, now,
                    "the Reserve was already applied");
        }
        return rejected(current, event, now, new Rejection(DeadLetterReason.RESERVE_CONFLICT,
                "reservation " + current.getReservationId() + " is already open with a different Reserve (event "
                        + current.getReserveEventId() + ")"));
    }

    private void applyToActive(final TransitionBuilder step, final Object body, final StreamEvent event) {
        final ReservationSnapshot reservation = step.reservation;
        if (body instanceof Chunk chunk) {
            addChunk(reservation, chunk);
            step.audit(AuditKind.USAGE_RECORDED, String.valueOf(event.getSeq()), null, null);
        } else if (body instanceof Usage usage) {
            reservation.setReportedUsage(usage);
            step.audit(AuditKind.USAGE_RECORDED, String.valueOf(event.getSeq()), null, "provider totals reported");
        } else if (body instanceof End end) {
            reservation.setEndOutcome(end.getOutcome());
            reservation.setEndReason(end.getReason());
            settleEnded(step, end);
        }
    }

    private void applyAfterSettlement(final TransitionBuilder step, final Object body, final StreamEvent event) {
        final ReservationSnapshot reservation = step.reservation;
        if (body instanceof Chunk chunk) {
            addChunk(reservation, chunk);
        } else if (body instanceof Usage usage) {
            reservation.setReportedUsage(usage);
        }
        final Charge late = billing.unaccounted(reservation);
        if (body instanceof End || !late.billable()) {
            step.audit(AuditKind.LATE_EVENT, String.valueOf(event.getSeq()), null,
                    "event after the reservation was " + reservation.getStatus());
            return;
        }
        Settlements.debit(step, late, LATE_USAGE_REASON);
    }

    private void settleEnded(final TransitionBuilder step, final End end) {
        final Charge observed = billing.observed(step.reservation);
        if (end.getOutcome() == Outcome.COMPLETED) {
            Settlements.commit(step, observed, Settlement.COMPLETED);
        } else if (observed.billable() && policy.onFailure() == FailurePolicy.COMMIT_OBSERVED) {
            Settlements.commit(step, observed, Settlement.PARTIAL_ON_FAILURE);
        } else {
            final String reason = end.getReason() != null ? end.getReason()
                    : end.getOutcome() == Outcome.CANCELLED ? DEFAULT_CANCELLED_REASON : DEFAULT_FAILED_REASON;
            Settlements.release(step, reason, observed);
        }
    }

    private void settleAbandoned(final TransitionBuilder step, final String releaseReason, final String detail) {
        final Charge observed = billing.observed(step.reservation);
        if (observed.billable()) {
            Settlements.commit(step, observed, Settlement.PARTIAL_ON_TIMEOUT);
        } else {
            Settlements.release(step, releaseReason, observed);
        }
        step.detail(detail);
    }




    private Transition ignored(final ReservationSnapshot current, final StreamEvent event, final AuditKind kind,
                               final String discriminator, final long now, final String detail) {
        final AuditRecord audit = Outputs.audit(current.getReservationId(), kind, discriminator, now,
                event.getEventId(), current.getStatus(), current, null, detail);
        return new Transition(Transition.Store.KEEP, current, current.getNextCheckAtMs(), List.of(), List.of(audit),
                null);
    }

    private Transition rejected(final ReservationSnapshot current, final StreamEvent event, final long now,
                                final Rejection rejection) {
        final AuditRecord audit = Outputs.audit(current.getReservationId(), AuditKind.REJECTED,
                event.getEventId(), now, event.getEventId(), current.getStatus(), current, null,
                rejection.reason() + ": " + rejection.message());
        return new Transition(Transition.Store.KEEP, current, current.getNextCheckAtMs(), List.of(), List.of(audit),
                rejection);
    }

    private static void addChunk(final ReservationSnapshot reservation, final Chunk chunk) {
        reservation.setChunkTokensInput(reservation.getChunkTokensInput() + chunk.getTokensInput());
        reservation.setChunkTokensOutput(reservation.getChunkTokensOutput() + chunk.getTokensOutput());
        reservation.setChunks(reservation.getChunks() + chunk.getChunks());
    }




    static boolean isApplied(final ReservationSnapshot reservation, final long seq) {
        return seq <= reservation.getAppliedSeqWatermark() || reservation.getAppliedSeqsAbove().contains(seq);
    }

    /** Records seq as applied, keeping the set compact: a watermark plus the few seqs that came out of order. */
    static void markApplied(final ReservationSnapshot reservation, final long seq) {
        if (seq == reservation.getAppliedSeqWatermark() + 1 && reservation.getAppliedSeqsAbove().isEmpty()) {
            // The common case, events in order: no list to copy or sort on the per-record path.
            reservation.setAppliedSeqWatermark(seq);
            return;
        }
        final List<Long> above = new ArrayList<>(reservation.getAppliedSeqsAbove());
        above.add(seq);
        above.sort(null);
        long watermark = reservation.getAppliedSeqWatermark();
        while (!above.isEmpty() && above.get(0) <= watermark + 1) {
            watermark = Math.max(watermark, above.remove(0));
        }
        reservation.setAppliedSeqWatermark(watermark);
        reservation.setAppliedSeqsAbove(above);
    }

    static String join(final String first, final String second) {
        if (first == null) {
            return second;
        }
        return second == null ? first : first + "; " + second;
    }
}
