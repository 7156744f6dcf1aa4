package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Metrics;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.Usage;
import java.util.Map;

/**
 * The money-moving steps of a transition: commit, release, extend and debit. Each changes the reservation, issues its
 * command with the deterministic key and audits it; the {@link Lifecycle} decides which one applies.
 */
final class Settlements {

    private Settlements() {
    }

    /** Commits the charge: the reservation becomes COMMITTED and the rest of the estimate returns to the budget. */
    static void commit(final TransitionBuilder step, final Charge charge, final Settlement settlement) {
        final ReservationSnapshot reservation = step.reservation;
        reservation.setStatus(ReservationStatus.COMMITTED);
        reservation.setSettlement(settlement);
        reservation.setSettledAtMs(step.now);
        reservation.setReleasedAmount(Math.max(0, reservation.getEstimate().getAmount() - charge.amount()));
        account(reservation, charge, false);
        final long latency = reservation.getLastEventAtMs() - reservation.getFirstEventAtMs();
        final BudgetCommand command = step.command(Outputs.commitKey(reservation.getReservationId()),
                new Commit(amount(reservation, charge.amount()), metrics(reservation, charge, latency), settlement,
                        SettlementCause.UNKNOWN));
        final long overage = charge.amount() - reservation.getEstimate().getAmount();
        final String overageNote = overage > 0
                ? "overage of " + overage + " above the estimate, policy " + reservation.getOveragePolicy() : null;
        step.audit(AuditKind.COMMITTED, null, command.getCommandId(), Lifecycle.join(charge.note(), overageNote));
    }

    /** Releases the whole estimate; usage observed before it is waived, never debited later. */
    static void release(final TransitionBuilder step, final String reason, final Charge observed) {
        final ReservationSnapshot reservation = step.reservation;
        reservation.setStatus(ReservationStatus.RELEASED);
        reservation.setReleaseReason(reason);
        reservation.setSettledAtMs(step.now);
        reservation.setReleasedAmount(reservation.getEstimate().getAmount());
        // Usage seen before a release is waived, not billed later as a Debit.
        account(reservation, observed, false);
        reservation.setBilledAmount(0L);
        final BudgetCommand command = step.command(Outputs.releaseKey(reservation.getReservationId()),
                new Release(reason, reservation.getEstimate(), SettlementCause.UNKNOWN));
        step.audit(AuditKind.RELEASED, null, command.getCommandId(),
                observed.billable() ? "usage observed before the release was waived (on.failure=RELEASE)" : null);
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

    /** Charges usage seen after the settlement, so that no spend is lost. */
    static void debit(final TransitionBuilder step, final Charge late, final String reason) {
        final ReservationSnapshot reservation = step.reservation;
        final int n = reservation.getDebits() + 1;
        reservation.setDebits(n);
        account(reservation, late, true);
        final BudgetCommand debit = step.command(Outputs.debitKey(reservation.getReservationId(), n),
                new Debit(amount(reservation, late.amount()), metrics(reservation, late, 0L), reason));
        step.audit(AuditKind.DEBITED, String.valueOf(n), debit.getCommandId(), late.note());
    }
}
