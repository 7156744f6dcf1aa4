package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;

/**
 * When a reservation is next looked at after a transition, on each clock ({@link Deadlines}):
 * <ul>
 *   <li>live: on the wall clock when its hold needs an extend (or, extensions used up, a settlement), on the input
 *       clock when it would have been silent for the idle timeout;</li>
 *   <li>settled: on the wall clock when late usage waiting for a Debit is due (one Debit per interval at most), on
 *       the input clock when its retention ends.</li>
 * </ul>
 */
final class Schedule {

    private final MeteringPolicy policy;
    private final Billing billing;

    Schedule(final MeteringPolicy policy, final Billing billing) {
        this.policy = policy;
        this.billing = billing;
    }

    /**
     * After an event. A live stream's idle deadline only moves earlier: every chunk moves its idle deadline later,
     * and moving the index entry per chunk would write the store twice per event; a check that comes early finds
     * the stream not idle and reschedules it exactly.
     */
    Deadlines afterEvent(final TransitionBuilder step) {
        final long wanted = input(step.reservation);
        final Long earlier = step.before.input();
        final boolean stillLive = step.from == ReservationStatus.ACTIVE
                && step.reservation.getStatus() == ReservationStatus.ACTIVE;
        return new Deadlines(hold(step), stillLive && earlier != null ? Math.min(earlier, wanted) : wanted);
    }

    /** After a due check: both deadlines exactly where they are wanted. */
    Deadlines afterCheck(final TransitionBuilder step) {
        return new Deadlines(hold(step), input(step.reservation));
    }

    private Long hold(final TransitionBuilder step) {
        final ReservationSnapshot reservation = step.reservation;
        if (reservation.getStatus() == ReservationStatus.ACTIVE) {
            // Awaiting the budget ledger's decision, nothing is held yet: no extend is due.
            return policy.ledger() && reservation.getDecision() == null ? null
                    : reservation.getExpiresAtMs() - policy.extendLeadMs(reservation.getTtlMs());
        }
        if (!billing.unaccounted(reservation).billable()) {
            return null;
        }
        // A flush already pending keeps its time, so late usage waits one interval at most.
        final Long pending = step.from != ReservationStatus.ACTIVE ? step.before.hold() : null;
        return pending != null ? pending : step.now + policy.lateUsageIntervalMs();
    }

    private long input(final ReservationSnapshot reservation) {
        if (reservation.getStatus() == ReservationStatus.ACTIVE) {
            return reservation.getLastActivityMs() + policy.idleTimeoutMs(reservation.getTtlMs());
        }
        return reservation.getSettledAtMs() + policy.retentionMs();
    }
}
