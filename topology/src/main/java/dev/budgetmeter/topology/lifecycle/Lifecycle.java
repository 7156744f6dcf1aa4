package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Chunk;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.DeadLetterReason;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.End;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Metrics;
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
import java.util.Map;

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
        final Step step = new Step(current, scheduled, from, event.getEventId(), now);
        if (from == ReservationStatus.ACTIVE) {
            applyToActive(step, body, event);
        } else {
            applyAfterSettlement(step, body, event);
        }
        return step.finishAfterEvent();
    }

    /**
     * Runs the due check of a reservation: heartbeat, idle timeout, exhausted extensions, hold expiry, or the end of
     * a settled reservation's retention. A check that finds nothing due only reschedules.
     */
    public Transition onCheck(final ReservationSnapshot current, final long now) {
        final Step step = new Step(current, current.getNextCheckAtMs(), current.getStatus(), null, now);
        if (current.getStatus() != ReservationStatus.ACTIVE) {
            if (now >= current.getSettledAtMs() + policy.retentionMs()) {
                return step.forget();
            }
            return step.finishAfterCheck();
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
                extend(step);
            } else {
                step.auditIntermediate(AuditKind.EXTENSIONS_EXHAUSTED,
                        "all " + policy.maxExtensions() + " extensions used: settling before the hold expires");
                settleAbandoned(step, MAX_EXTENSIONS_REASON, "extensions exhausted");
            }
        }
        return step.finishAfterCheck();
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
        final Step step = new Step(reservation, null, null, event.getEventId(), now);
        step.audit(AuditKind.RESERVED, null, null, null);
        return step.finishAfterEvent();
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

    private void applyToActive(final Step step, final Object body, final StreamEvent event) {
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

    private void applyAfterSettlement(final Step step, final Object body, final StreamEvent event) {
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
        final int n = reservation.getDebits() + 1;
        reservation.setDebits(n);
        account(reservation, late, true);
        final BudgetCommand debit = step.command(Outputs.debitKey(reservation.getReservationId(), n),
                new Debit(amount(reservation, late.amount()), metrics(reservation, late, 0L), LATE_USAGE_REASON));
        step.audit(AuditKind.DEBITED, String.valueOf(n), debit.getCommandId(), late.note());
    }

    private void settleEnded(final Step step, final End end) {
        final Charge observed = billing.observed(step.reservation);
        if (end.getOutcome() == Outcome.COMPLETED) {
            commit(step, observed, Settlement.COMPLETED);
        } else if (observed.billable() && policy.onFailure() == FailurePolicy.COMMIT_OBSERVED) {
            commit(step, observed, Settlement.PARTIAL_ON_FAILURE);
        } else {
            final String reason = end.getReason() != null ? end.getReason()
                    : end.getOutcome() == Outcome.CANCELLED ? DEFAULT_CANCELLED_REASON : DEFAULT_FAILED_REASON;
            release(step, reason, observed);
        }
    }

    private void settleAbandoned(final Step step, final String releaseReason, final String detail) {
        final Charge observed = billing.observed(step.reservation);
        if (observed.billable()) {
            commit(step, observed, Settlement.PARTIAL_ON_TIMEOUT);
        } else {
            release(step, releaseReason, observed);
        }
        step.detail(detail);
    }

    private void commit(final Step step, final Charge charge, final Settlement settlement) {
        final ReservationSnapshot reservation = step.reservation;
        reservation.setStatus(ReservationStatus.COMMITTED);
        reservation.setSettlement(settlement);
        reservation.setSettledAtMs(step.now);
        reservation.setReleasedAmount(Math.max(0, reservation.getEstimate().getAmount() - charge.amount()));
        account(reservation, charge, false);
        final long latency = reservation.getLastEventAtMs() - reservation.getFirstEventAtMs();
        final BudgetCommand command = step.command(Outputs.commitKey(reservation.getReservationId()),
                new Commit(amount(reservation, charge.amount()), metrics(reservation, charge, latency), settlement));
        final long overage = charge.amount() - reservation.getEstimate().getAmount();
        final String overageNote = overage > 0
                ? "overage of " + overage + " above the estimate, policy " + reservation.getOveragePolicy() : null;
        step.audit(AuditKind.COMMITTED, null, command.getCommandId(), join(charge.note(), overageNote));
    }

    private void release(final Step step, final String reason, final Charge observed) {
        final ReservationSnapshot reservation = step.reservation;
        reservation.setStatus(ReservationStatus.RELEASED);
        reservation.setReleaseReason(reason);
        reservation.setSettledAtMs(step.now);
        reservation.setReleasedAmount(reservation.getEstimate().getAmount());
        // Usage seen before a release is waived, not billed later as a Debit.
        account(reservation, observed, false);
        reservation.setBilledAmount(0L);
        final BudgetCommand command = step.command(Outputs.releaseKey(reservation.getReservationId()),
                new Release(reason, reservation.getEstimate()));
        step.audit(AuditKind.RELEASED, null, command.getCommandId(),
                observed.billable() ? "usage observed before the release was waived (on.failure=RELEASE)" : null);
    }

    private void extend(final Step step) {
        final ReservationSnapshot reservation = step.reservation;
        final long newExpiresAt = step.now + reservation.getTtlMs();
        final long extendBy = newExpiresAt - reservation.getExpiresAtMs();
        final int n = reservation.getExtensions() + 1;
        reservation.setExtensions(n);
        reservation.setExpiresAtMs(newExpiresAt);
        final BudgetCommand command = step.command(Outputs.extendKey(reservation.getReservationId(), n),
                new Extend(extendBy, newExpiresAt, n));
        step.audit(AuditKind.EXTENDED, String.valueOf(n), command.getCommandId(), null);
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

    private static void account(final ReservationSnapshot reservation, final Charge charge, final boolean add) {
        reservation.setBilledTokensInput((add ? reservation.getBilledTokensInput() : 0) + charge.tokensInput());
        reservation.setBilledTokensOutput((add ? reservation.getBilledTokensOutput() : 0) + charge.tokensOutput());
        reservation.setBilledAmount((add ? reservation.getBilledAmount() : 0) + charge.amount());
    }

    private static Amount amount(final ReservationSnapshot reservation, final long value) {
        return new Amount(reservation.getEstimate().getUnit(), value);
    }

    private static Metrics metrics(final ReservationSnapshot reservation, final Charge charge, final long latencyMs) {
        final Usage reported = reservation.getReportedUsage();
        return new Metrics(charge.tokensInput(), charge.tokensOutput(), latencyMs,
                reported == null ? null : reported.getModelVersion(),
                reported == null ? Map.of() : reported.getCustom());
    }

    static boolean isApplied(final ReservationSnapshot reservation, final long seq) {
        return seq <= reservation.getAppliedSeqWatermark() || reservation.getAppliedSeqsAbove().contains(seq);
    }

    /** Records seq as applied, keeping the set compact: a watermark plus the few seqs that came out of order. */
    static void markApplied(final ReservationSnapshot reservation, final long seq) {
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

    private static String join(final String first, final String second) {
        if (first == null) {
            return second;
        }
        return second == null ? first : first + "; " + second;
    }

    /** Collects the outputs of one transition of one reservation. */
    private final class Step {
        private final ReservationSnapshot reservation;
        private final Long scheduled;
        private final ReservationStatus from;
        private final String causeEventId;
        private final long now;
        private final List<BudgetCommand> commands = new ArrayList<>();
        private final List<AuditRecord> audits = new ArrayList<>();
        private String detail;

        Step(final ReservationSnapshot reservation, final Long scheduled, final ReservationStatus from,
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

        /** Audits the step's final transition: the record gets the snapshot as it is when the step ends. */
        void audit(final AuditKind kind, final String discriminator, final String commandId, final String note) {
            audits.add(Outputs.audit(reservation.getReservationId(), kind, discriminator, now, causeEventId,
                    from, null, commandId, note));
        }

        /** Audits a transition that another follows within the step: the record gets a copy of the snapshot now. */
        void auditIntermediate(final AuditKind kind, final String note) {
            audits.add(Outputs.audit(reservation.getReservationId(), kind, null, now, causeEventId, from,
                    ReservationSnapshot.newBuilder(reservation).build(), null, note));
        }

        void detail(final String text) {
            this.detail = text;
        }

        /** After an event the deadline only moves earlier; an early check just reschedules. */
        Transition finishAfterEvent() {
            final long wanted = nextCheckAt(reservation);
            if (scheduled == null || wanted < scheduled) {
                reservation.setNextCheckAtMs(wanted);
            }
            return finish(Transition.Store.PUT);
        }

        Transition finishAfterCheck() {
            reservation.setNextCheckAtMs(nextCheckAt(reservation));
            return finish(Transition.Store.PUT);
        }

        Transition forget() {
            final ReservationStatus status = reservation.getStatus();
            reservation.setNextCheckAtMs(null);
            audits.add(Outputs.audit(reservation.getReservationId(), AuditKind.RETIRED, null, now, null, status,
                    null, null, "retention of " + policy.retentionMs() + " ms ended"));
            return new Transition(Transition.Store.DELETE, null, scheduled, commands, audits, null);
        }

        private Transition finish(final Transition.Store store) {
            for (final AuditRecord audit : audits) {
                if (audit.getSnapshot() == null) {
                    audit.setSnapshot(reservation);
                    audit.setTo(reservation.getStatus());
                }
            }
            if (detail != null && !audits.isEmpty()) {
                final AuditRecord last = audits.get(audits.size() - 1);
                last.setDetail(join(last.getDetail(), detail));
            }
            return new Transition(store, reservation, scheduled, commands, audits, null);
        }
    }
}
