package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.HoldLapse;
import dev.budgetmeter.schemas.Metrics;
import dev.budgetmeter.schemas.Overage;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.Usage;
import dev.budgetmeter.schemas.ledger.DebitRequest;
import dev.budgetmeter.schemas.ledger.ExtendRequest;
import dev.budgetmeter.schemas.ledger.SettleKind;
import dev.budgetmeter.schemas.ledger.SettleRequest;
import java.util.List;
import java.util.Map;

/**
 * The money-moving steps of a transition: commit, release, lapse, extend and debit. Each changes the reservation,
 * issues its command with the deterministic key (a lapse issues none: the authority already returned the hold) and
 * audits it; the {@link Lifecycle} decides which one applies and when.
 */
final class Settlements {

    static final String LATE_USAGE_REASON = "usage_after_settlement";
    static final String LAPSED_REASON = "hold_lapsed";
    static final String UNAUTHORIZED_REASON = "unauthorized_usage";

    private Settlements() {
    }

    /** Commits the charge: the reservation becomes COMMITTED and the rest of the estimate returns to the budget. */
    static void commit(final TransitionBuilder step, final Charge charge, final Settlement settlement,
                       final SettlementCause cause, final String detail) {
        final ReservationSnapshot reservation = step.reservation;
        settle(reservation, ReservationStatus.COMMITTED, cause, step.now);
        reservation.setSettlement(settlement);
        reservation.setReleasedAmount(Math.max(0, reservation.getEstimate().getAmount() - charge.amount()));
        account(reservation, charge, false);
        final long above = charge.amount() - reservation.getEstimate().getAmount();
        final Overage overage = above > 0 ? new Overage(above, reservation.getOveragePolicy()) : null;
        reservation.setOverage(overage);
        final long latency = reservation.getLastEventAtMs() - reservation.getFirstEventAtMs();
        final BudgetCommand command = step.command(Outputs.commitKey(reservation.getReservationId()),
                new Commit(amount(reservation, charge.amount()), metrics(reservation, charge, latency), settlement,
                        cause));
        step.audit(AuditKind.COMMITTED, null, command.getCommandId(), join(charge.note(), detail), overage);
        step.ledger(command.getCommandId(), new SettleRequest(SettleKind.COMMIT, charge.amount()));
    }

    /**
     * Releases the whole estimate. Usage observed before it is waived (under {@link FailurePolicy#RELEASE}): it
     * counts as accounted for, so that only usage seen after the release is ever debited.
     */
    static void release(final TransitionBuilder step, final String reason, final SettlementCause cause,
                        final Charge observed, final String detail) {
        final ReservationSnapshot reservation = step.reservation;
        settle(reservation, ReservationStatus.RELEASED, cause, step.now);
        reservation.setReleaseReason(reason);
        reservation.setReleasedAmount(reservation.getEstimate().getAmount());
        account(reservation, observed, false);
        final BudgetCommand command = step.command(Outputs.releaseKey(reservation.getReservationId()),
                new Release(reason, reservation.getEstimate(), cause));
        step.audit(AuditKind.RELEASED, null, command.getCommandId(), join(observed.billable()
                ? "usage observed before the release was waived (on.failure=RELEASE)" : null, detail));
        step.ledger(command.getCommandId(), new SettleRequest(SettleKind.RELEASE, 0L));
    }

    /**
     * Records that the hold lapsed before it could be settled: the authority refuses a Commit or Release past
     * {@code expires_at + grace} and has returned the estimate itself, so none is sent. Nothing observed is
     * accounted for yet: all of it is left for Debits.
     */
    static void lapse(final TransitionBuilder step) {
        final long deadline = lapseDeadline(step.reservation);
        lapse(step, deadline, "the hold lapsed at " + deadline + " (expires_at + grace), " + (step.now - deadline)
                + " ms before it could be settled: no Commit or Release; usage is debited");
    }

    /**
     * Records that the authority refused to extend the hold for good (a Cycles server's answer): no extend, Commit or
     * Release follows, the server ends the hold itself, and usage is debited, as after a lapse.
     */
    static void lapseAtAuthority(final TransitionBuilder step, final String answer) {
        lapse(step, step.now, "the authority refused to extend the hold (" + answer + "): no more extends, no Commit"
                + " or Release; the authority ends the hold and usage is debited");
    }

    private static void lapse(final TransitionBuilder step, final long deadline, final String detail) {
        final ReservationSnapshot reservation = step.reservation;
        settle(reservation, ReservationStatus.RELEASED, SettlementCause.HOLD_LAPSED, step.now);
        reservation.setReleaseReason(LAPSED_REASON);
        reservation.setReleasedAmount(reservation.getEstimate().getAmount());
        reservation.setLapse(new HoldLapse(deadline, step.now));
        step.auditIntermediate(AuditKind.HOLD_LAPSED, detail);
        step.ledger(reservation.getReservationId() + ":lapse", new SettleRequest(SettleKind.LAPSE, 0L));
    }

    /**
     * Records that the budget ledger refused the Reserve: nothing was held, so there is nothing to settle and no
     * command is sent; usage seen then or later is charged as unauthorized Debits.
     */
    static void refuse(final TransitionBuilder step, final String reason, final List<Balance> balances) {
        final ReservationSnapshot reservation = step.reservation;
        settle(reservation, ReservationStatus.RELEASED, SettlementCause.REFUSED, step.now);
        reservation.setReleaseReason(reason);
        reservation.setReleasedAmount(0L);
        step.audit(AuditKind.RESERVE_REFUSED, "the budget ledger refused the Reserve: " + reason, balances);
    }

    /** When the authority stops accepting a Commit or Release: the expiry plus the grace period. */
    static long lapseDeadline(final ReservationSnapshot reservation) {
        return reservation.getExpiresAtMs() + reservation.getGracePeriodMs();
    }

    /** Extends the hold to now + ttl, relative to its current expiry as the protocol's extend is. */
    static void extend(final TransitionBuilder step) {
        final ReservationSnapshot reservation = step.reservation;
        final long newExpiresAt = step.now + reservation.getTtlMs();
        final long extendBy = newExpiresAt - reservation.getExpiresAtMs();
        final int n = reservation.getExtensions() + 1;
        reservation.setExtensions(n);
        reservation.setExpiresAtMs(newExpiresAt);
        final BudgetCommand command = step.command(Outputs.extendKey(reservation.getReservationId(), n),
                new Extend(extendBy, newExpiresAt, n));
        step.audit(AuditKind.EXTENDED, String.valueOf(n), command.getCommandId(), null);
        step.ledger(command.getCommandId(), new ExtendRequest(newExpiresAt));
    }

    /** Charges usage not accounted for by the settlement, so that no spend is lost. */
    static void debit(final TransitionBuilder step, final Charge late) {
        final ReservationSnapshot reservation = step.reservation;
        final int n = reservation.getDebits() + 1;
        reservation.setDebits(n);
        account(reservation, late, true);
        final boolean unauthorized = reservation.getSettlementCause() == SettlementCause.REFUSED;
        final String reason = unauthorized ? UNAUTHORIZED_REASON
                : reservation.getLapse() != null ? LAPSED_REASON : LATE_USAGE_REASON;
        final Amount amount = amount(reservation, late.amount());
        final BudgetCommand debit = step.command(Outputs.debitKey(reservation.getReservationId(), n),
                new Debit(amount, metrics(reservation, late, 0L), reason));
        step.audit(unauthorized ? AuditKind.UNAUTHORIZED_USAGE : AuditKind.DEBITED, String.valueOf(n),
                debit.getCommandId(), late.note());
        step.ledger(debit.getCommandId(), new DebitRequest(reservation.getSubject(), amount, unauthorized));
    }

    private static void settle(final ReservationSnapshot reservation, final ReservationStatus status,
                               final SettlementCause cause, final long now) {
        reservation.setStatus(status);
        reservation.setSettlementCause(cause);
        reservation.setSettledAtMs(now);
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

    private static String join(final String first, final String second) {
        if (first == null) {
            return second;
        }
        return second == null ? first : first + "; " + second;
    }
}
