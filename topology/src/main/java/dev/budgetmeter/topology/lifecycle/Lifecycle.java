package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.schemas.DecisionKind;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.Reserve;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.schemas.Usage;
import dev.budgetmeter.schemas.ledger.HoldRequest;
import dev.budgetmeter.schemas.ledger.RetireRequest;
import dev.budgetmeter.topology.lifecycle.FieldScreen.Screened;
import dev.budgetmeter.topology.rules.Rejection;
import java.util.List;

/**
 * The lifecycle of one reservation as pure functions: an event or a due check in, a {@link Transition} out. No I/O
 * and no clock: the wall clock ({@code now}) and the input clock ({@code inputTime}: every input record appended
 * before it has been processed) are passed in, so every path is deterministic.
 *
 * <p>Guarantees, per reservation: it ends exactly once, by one Commit, one Release, or a lapse (its hold passed
 * {@code expires_at + grace} before it could be settled: then neither is sent, since the authority must refuse
 * them); Extends numbered 1..n with n at most {@code maxExtensions}, never after the hold expired; no Commit or
 * Release after {@code expires_at + grace}; every billable token observed is charged by the Commit or by Debits after
 * the settlement (or waived by a Release under {@link FailurePolicy#RELEASE}), late usage gathered into one Debit per
 * interval or at the stream's End; a stream is idle only when its input up to the idle timeout has been read; an event
 * is applied at most once (its {@code seq} is its idempotency key within the reservation), and only its fields that
 * break a limit without deciding what is billed are dropped, never the event; every change is audited: a transition
 * at once, the chunks between transitions by the next transition's first audit record or by {@link #onUsageDue},
 * each applied event by exactly one record (see {@link UnauditedUsage}).
 *
 * <p>The snapshot passed in is owned by the caller's store read and is modified in place.
 */
public final class Lifecycle {

    static final String DEFAULT_FAILED_REASON = "stream_error";
    static final String DEFAULT_CANCELLED_REASON = "cancelled";
    static final String IDLE_TIMEOUT_REASON = "idle_timeout";
    static final String HOLD_EXPIRED_REASON = "hold_expired";
    static final String MAX_EXTENSIONS_REASON = "max_extensions";

    private final MeteringPolicy policy;
    private final Billing billing;
    private final Schedule schedule;
    private final FieldScreen screen = new FieldScreen();
    private final AuthorityAnswers answers;

    public Lifecycle(final MeteringPolicy policy) {
        this.policy = policy;
        this.billing = new Billing(policy.prices());
        this.schedule = new Schedule(policy, billing);
        this.answers = new AuthorityAnswers(schedule);
    }

    /**
     * Applies a Cycles server's answer to one of the reservation's commands (see {@link AuthorityAnswers}); null when
     * it changes nothing, or the reservation is no longer known.
     */
    public Transition onResult(final ReservationSnapshot current, final CommandResult result, final long now) {
        return answers.onResult(current, result, now);
    }

    /**
     * Applies one event of a known reservation, or a Reserve of an unknown one.
     *
     * @param current    the stored reservation, or null when unknown (then the event must be a Reserve: the caller
     *                   buffers other events of unknown reservations)
     * @param occurrence where this copy of the event was read (for example partition and offset), to tell apart the
     *                   audit records of duplicates
     * @param now        the wall clock
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
        if (AppliedSeqs.contains(current, event.getSeq())) {
            return unchanged(current, event, AuditKind.DUPLICATE_IGNORED, event.getSeq() + ":" + occurrence, now,
                    "seq " + event.getSeq() + " was already applied", null);
        }
        final TransitionBuilder step = new TransitionBuilder(current, current.getStatus(), event.getEventId(), now,
                deadlinesOf(current), policy.ledger());
        AppliedSeqs.add(current, event.getSeq());
        UnauditedUsage.add(current, event.getSeq());
        current.setLastEventAtMs(Math.max(current.getLastEventAtMs(), event.getOccurredAt().toEpochMilli()));
        current.setLastActivityMs(now);
        if (current.getStatus() == ReservationStatus.ACTIVE && !awaitingDecision(current) && lapsed(current, now)) {
            Settlements.lapse(step);
        }
        final Object applied = screened(step, body);
        if (current.getStatus() == ReservationStatus.ACTIVE) {
            applyToActive(step, applied, event.getSeq());
        } else {
            applyAfterSettlement(step, applied, event.getSeq());
        }
        final Deadlines after = schedule.afterEvent(step);
        // A chunk or a Usage of a live stream changes its usage fields and nothing else: only they are written, and
        // its audit waits for the next punctuation or transition (onUsageDue), which names it with the others.
        return (applied instanceof Chunk || applied instanceof Usage) && step.onlyUsage() ? step.finishUsage(after)
                : step.finish(after);
    }

    /**
     * Audits the usage a reservation applied since its last audit record, in one {@code USAGE_RECORDED} record that
     * names their seq range and count and carries the snapshot; called once per punctuation interval for every
     * reservation with such events. Null when there are none.
     */
    public Transition onUsageDue(final ReservationSnapshot current, final long now) {
        if (current == null || current.getUnauditedEvents() == 0) {
            return null;
        }
        final TransitionBuilder step = new TransitionBuilder(current, current.getStatus(), null, now,
                deadlinesOf(current), policy.ledger());
        step.audit(AuditKind.USAGE_RECORDED, UnauditedUsage.range(current), null,
                current.getUnauditedEvents() + " events since the last audit record");
        return step.finishUsage(deadlinesOf(current));
    }

    /**
     * Runs the due checks of a reservation. Live: a lapse past {@code expires_at + grace}; the idle timeout, judged on
     * the input clock; settlement within the grace period of a hold that expired before it could be extended; the
     * extend, or settlement when extensions are used up. Settled: the Debit of late usage that waited its interval,
     * and the end of retention, judged on the input clock. A check that finds nothing due only reschedules.
     *
     * @param now       the wall clock
     * @param inputTime the input clock: every input record of the reservation's partition appended before it has
     *                  been processed; at most {@code now}
     */
    public Transition onCheck(final ReservationSnapshot current, final long now, final long inputTime) {
        final ReservationStatus from = current.getStatus();
        final TransitionBuilder step = new TransitionBuilder(current, from, null, now, deadlinesOf(current),
                policy.ledger());
        if (from == ReservationStatus.ACTIVE) {
            if (!awaitingDecision(current)) {
                checkLive(step, inputTime);
            }
            return step.finish(schedule.afterCheck(step));
        }
        final Charge late = billing.unaccounted(current);
        final boolean retired = inputTime >= current.getSettledAtMs() + policy.retentionMs();
        final Long flushAt = step.before.hold();
        if (late.billable() && (retired || (flushAt != null && now >= flushAt))) {
            Settlements.debit(step, late);
        }
        if (retired) {
            step.ledger(current.getReservationId() + ":retire", new RetireRequest());
            return step.forget("retention of " + policy.retentionMs() + " ms ended");
        }
        return step.finish(schedule.afterCheck(step));
    }

    private void checkLive(final TransitionBuilder step, final long inputTime) {
        final ReservationSnapshot reservation = step.reservation;
        final long now = step.now;
        final long ttl = reservation.getTtlMs();
        final long idleTimeout = policy.idleTimeoutMs(ttl);
        if (lapsed(reservation, now)) {
            Settlements.lapse(step);
        } else if (inputTime >= reservation.getLastActivityMs() + idleTimeout) {
            settleAbandoned(step, IDLE_TIMEOUT_REASON, SettlementCause.IDLE_TIMEOUT,
                    "no event for " + idleTimeout + " ms of input");
        } else if (now > reservation.getExpiresAtMs()) {
            settleAbandoned(step, HOLD_EXPIRED_REASON, SettlementCause.HOLD_EXPIRED, "the hold expired at "
                    + reservation.getExpiresAtMs() + " before it could be extended: settled within its grace period");
        } else if (now >= reservation.getExpiresAtMs() - policy.extendLeadMs(ttl)) {
            if (reservation.getExtensions() < policy.maxExtensions()) {
                Settlements.extend(step);
            } else {
                step.auditIntermediate(AuditKind.EXTENSIONS_EXHAUSTED,
                        "all " + policy.maxExtensions() + " extensions used: settling before the hold expires");
                settleAbandoned(step, MAX_EXTENSIONS_REASON, SettlementCause.EXTENSIONS_EXHAUSTED,
                        "extensions exhausted");
            }
        }
    }

    private Transition open(final StreamEvent event, final Reserve sent, final long now) {
        final Screened<Reserve> screened = screen.reserve(sent);
        final Reserve reserve = screened.body();
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
        AppliedSeqs.add(reservation, event.getSeq());
        UnauditedUsage.add(reservation, event.getSeq());
        final TransitionBuilder step = new TransitionBuilder(reservation, null, event.getEventId(), now,
                Deadlines.NONE, policy.ledger());
        step.ignore(screened.ignored());
        if (policy.ledger()) {
            // The budget ledger decides; the reservation waits for its decision (see onDecision).
            step.audit(AuditKind.RESERVED, null, null, "awaiting the budget ledger's decision");
            step.ledger(Outputs.holdKey(reservation.getReservationId()), HoldRequest.newBuilder()
                    .setReserveEventId(event.getEventId()).setSubject(reserve.getSubject())
                    .setAction(reserve.getAction()).setEstimate(reserve.getEstimate())
                    .setOveragePolicy(reserve.getOveragePolicy()).setExpiresAtMs(reservation.getExpiresAtMs())
                    .setReplyPartition(reserve.getReplyPartition()).build());
        } else if (lapsed(reservation, now)) {
            // A Reserve read after its hold lapsed (from a backlog): the authority has returned that hold already.
            step.auditIntermediate(AuditKind.RESERVED, null);
            Settlements.lapse(step);
        } else {
            step.audit(AuditKind.RESERVED, null, null, null);
        }
        return step.finish(schedule.afterCheck(step));
    }

    private Transition reserveAgain(final ReservationSnapshot current, final StreamEvent event, final Reserve reserve,
                                    final String occurrence, final long now) {
        final boolean sameReserve = event.getEventId().equals(current.getReserveEventId())
                || (reserve.getEstimate().equals(current.getEstimate())
                && reserve.getSubject().equals(current.getSubject())
                && reserve.getAction().equals(current.getAction()));
        if (sameReserve) {
            return unchanged(current, event, AuditKind.DUPLICATE_IGNORED, "reserve:" + occurrence, now,
                    "the Reserve was already applied", null);
        }
        final Rejection conflict = new Rejection(DeadLetterReason.RESERVE_CONFLICT,
                "reservation " + current.getReservationId() + " is already open with a different Reserve (event "
                        + current.getReserveEventId() + ")");
        return unchanged(current, event, AuditKind.REJECTED, event.getEventId(), now,
                conflict.reason() + ": " + conflict.message(), conflict);
    }

    /** The body to apply: the event's, without the fields the screen drops (recorded on the step). */
    private Object screened(final TransitionBuilder step, final Object body) {
        final Screened<?> screened;
        if (body instanceof Usage usage) {
            screened = screen.usage(usage, step.reservation.getEstimate().getUnit());
        } else if (body instanceof End end) {
            screened = screen.end(end);
        } else {
            return body;
        }
        step.ignore(screened.ignored());
        return screened.body();
    }

    private void applyToActive(final TransitionBuilder step, final Object body, final long seq) {
        final ReservationSnapshot reservation = step.reservation;
        if (body instanceof Chunk chunk) {
            addChunk(reservation, chunk);
        } else if (body instanceof Usage usage) {
            reservation.setReportedUsage(usage);
            if (!step.onlyUsage()) {
                // Fields were dropped from it (or the hold lapsed first): its own record says so.
                step.audit(AuditKind.USAGE_RECORDED, String.valueOf(seq), null, "provider totals reported");
            }
        } else if (body instanceof End end) {
            reservation.setEndOutcome(end.getOutcome());
            reservation.setEndReason(end.getReason());
            reservation.setEndEventId(step.causeEventId());
            if (awaitingDecision(reservation)) {
                step.audit(AuditKind.USAGE_RECORDED, String.valueOf(seq), null,
                        "the stream ended " + end.getOutcome() + ": settled once the budget ledger decides");
            } else {
                settleEnded(step, end);
            }
        }
    }

    /**
     * Applies the budget ledger's decision on the Reserve. Allowed: the reservation goes on as with an external
     * authority (settled at once when its End came meanwhile, lapsed when the decision came after
     * {@code expires_at + grace}). Refused: it ends there, with no command; usage seen then or later is charged as
     * unauthorized Debits. A decision for a reservation not waiting for one changes nothing.
     */
    public Transition onDecision(final ReservationSnapshot current, final Decision decision, final long now) {
        if (current == null || !awaitingDecision(current)
                || !decision.getReserveEventId().equals(current.getReserveEventId())) {
            return null;
        }
        // An End read meanwhile is what the settlement answers: its cause, as when the decision comes first, so that
        // a replay issues the same commands whichever of the two the task read first.
        final TransitionBuilder step = new TransitionBuilder(current, current.getStatus(), current.getEndEventId(),
                now, deadlinesOf(current), policy.ledger());
        current.setDecision(decision.getDecision());
        if (decision.getDecision() != DecisionKind.ALLOW && decision.getDecision() != DecisionKind.ALLOW_WITH_CAPS) {
            final String reason = decision.getReasonCode() == null ? "DENIED" : decision.getReasonCode();
            current.setDecisionReason(reason);
            Settlements.refuse(step, reason, decision.getBalances());
            final Charge usage = billing.unaccounted(current);
            if (current.getEndOutcome() != null && usage.billable()) {
                Settlements.debit(step, usage);
            }
            return step.finish(schedule.afterCheck(step));
        }
        current.setExpiresAtMs(decision.getExpiresAtMs());
        step.audit(AuditKind.RESERVE_ALLOWED, decision.getDecision() + " on " + decision.getAffectedScopes()
                + (decision.getCaps() == null ? "" : ", caps " + decision.getCaps()), decision.getBalances());
        if (lapsed(current, now)) {
            Settlements.lapse(step);
        } else if (current.getEndOutcome() != null) {
            settleEnded(step, new End(current.getEndOutcome(), current.getEndReason()));
        }
        return step.finish(schedule.afterCheck(step));
    }

    /** With the budget ledger, an open reservation whose Reserve is not decided yet: nothing is held, nor settled. */
    boolean awaitingDecision(final ReservationSnapshot reservation) {
        return policy.ledger() && reservation.getStatus() == ReservationStatus.ACTIVE
                && reservation.getDecision() == null;
    }

    /** Late usage waits for its Debit (see {@link Schedule}); an End charges what waits at once. */
    private void applyAfterSettlement(final TransitionBuilder step, final Object body, final long seq) {
        final ReservationSnapshot reservation = step.reservation;
        if (body instanceof Chunk chunk) {
            addChunk(reservation, chunk);
        } else if (body instanceof Usage usage) {
            reservation.setReportedUsage(usage);
        }
        step.audit(AuditKind.LATE_EVENT, String.valueOf(seq), null,
                "event after the reservation was "
                        + (reservation.getLapse() != null ? "lapsed" : reservation.getStatus()));
        final Charge late = billing.unaccounted(reservation);
        if (body instanceof End && late.billable()) {
            Settlements.debit(step, late);
        }
    }

    private void settleEnded(final TransitionBuilder step, final End end) {
        final Charge observed = billing.observed(step.reservation);
        final SettlementCause cause = switch (end.getOutcome()) {
            case COMPLETED -> SettlementCause.COMPLETED;
            case FAILED -> SettlementCause.FAILED;
            case CANCELLED -> SettlementCause.CANCELLED;
        };
        if (end.getOutcome() == Outcome.COMPLETED) {
            Settlements.commit(step, observed, Settlement.COMPLETED, cause, null);
        } else if (observed.billable() && policy.onFailure() == FailurePolicy.COMMIT_OBSERVED) {
            Settlements.commit(step, observed, Settlement.PARTIAL_ON_FAILURE, cause, null);
        } else {
            final String reason = end.getReason() != null ? end.getReason()
                    : end.getOutcome() == Outcome.CANCELLED ? DEFAULT_CANCELLED_REASON : DEFAULT_FAILED_REASON;
            Settlements.release(step, reason, cause, observed, null);
        }
    }

    /** Settles a stream a timer ended: commits what it used (Settlement's v1 name for that is PARTIAL_ON_TIMEOUT). */
    private void settleAbandoned(final TransitionBuilder step, final String releaseReason,
                                 final SettlementCause cause, final String detail) {
        final Charge observed = billing.observed(step.reservation);
        if (observed.billable()) {
            Settlements.commit(step, observed, Settlement.PARTIAL_ON_TIMEOUT, cause, detail);
        } else {
            Settlements.release(step, releaseReason, cause, observed, detail);
        }
    }

    /** Past {@code expires_at + grace}: the authority refuses a Commit or Release, and returns the hold itself. */
    private static boolean lapsed(final ReservationSnapshot reservation, final long now) {
        return now > Settlements.lapseDeadline(reservation);
    }

    /** A transition that changes nothing but is audited, and dead-lettered when {@code rejection} is set. */
    private static Transition unchanged(final ReservationSnapshot current, final StreamEvent event,
                                        final AuditKind kind, final String discriminator, final long now,
                                        final String detail, final Rejection rejection) {
        final AuditRecord audit = Outputs.audit(current.getReservationId(), kind, discriminator, now)
                .setCauseEventId(event.getEventId())
                .setFrom(current.getStatus())
                .setTo(current.getStatus())
                .setSnapshot(current)
                .setDetail(detail)
                .build();
        final Deadlines deadlines = deadlinesOf(current);
        return new Transition(Transition.Store.KEEP, current, deadlines, deadlines, List.of(), List.of(),
                List.of(audit), rejection);
    }

    /** The deadlines the reservation is indexed at. */
    public static Deadlines deadlinesOf(final ReservationSnapshot reservation) {
        return Deadlines.of(reservation);
    }

    private static void addChunk(final ReservationSnapshot reservation, final Chunk chunk) {
        reservation.setChunkTokensInput(reservation.getChunkTokensInput() + chunk.getTokensInput());
        reservation.setChunkTokensOutput(reservation.getChunkTokensOutput() + chunk.getTokensOutput());
        reservation.setChunks(reservation.getChunks() + chunk.getChunks());
    }
}
