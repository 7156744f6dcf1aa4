package dev.budgetmeter.topology.ledger;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetOperation;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.schemas.internal.HoldState;
import dev.budgetmeter.schemas.internal.LedgerHold;
import dev.budgetmeter.schemas.ledger.DebitRequest;
import dev.budgetmeter.schemas.ledger.ExtendRequest;
import dev.budgetmeter.schemas.ledger.HoldRequest;
import dev.budgetmeter.schemas.ledger.LedgerRequest;
import dev.budgetmeter.schemas.ledger.RetireRequest;
import dev.budgetmeter.schemas.ledger.SettleRequest;
import java.time.Instant;
import java.util.List;

/**
 * The budget ledger of one tenant as pure functions: a request of the lifecycle, or an operator's budget operation,
 * in; what to store, send and audit out. No I/O and no clock: {@code now} is passed in.
 *
 * <p>Guarantees, per reservation: one decision; when allowed, its estimate held on every budgeted scope of its
 * subject, all or none, and exactly one settlement (commit, release or lapse) applied to each of them; every request
 * applied at most once (its id is its idempotency key); every change audited with the budgets after it. Per budget,
 * after every record: {@code remaining = allocated - spent - reserved - debt}.
 */
public final class Ledger {

    private final ReserveRules reserves;

    /** @param allowUnbudgeted allow a Reserve whose subject has no budget at all (metering only), else refuse it */
    public Ledger(final boolean allowUnbudgeted) {
        this.reserves = new ReserveRules(allowUnbudgeted);
    }

    /**
     * Applies a request of the lifecycle.
     *
     * @param hold the reservation's stored hold, or null
     */
    public LedgerStep onRequest(final LedgerRequest request, final LedgerHold hold, final BudgetBook book,
                                final long now) {
        final Object body = request.getBody();
        if (body instanceof HoldRequest reserve) {
            return hold == null ? decide(request, reserve, book, now) : LedgerStep.nothing();
        }
        if (hold == null || SettlementRules.alreadyApplied(hold, request.getRequestId())) {
            // Unknown (forgotten, or never held) or applied before: nothing to do.
            return LedgerStep.nothing();
        }
        if (body instanceof RetireRequest) {
            return new LedgerStep(null, true, null, List.of(), null);
        }
        if (body instanceof ExtendRequest extend) {
            hold.setExpiresAtMs(extend.getNewExpiresAtMs());
            SettlementRules.applied(hold, request.getRequestId());
            return new LedgerStep(hold, false, null, List.of(), null);
        }
        final List<Balance> budgets = SettlementRules.budgetsOf(hold, book);
        final Charged charged;
        final String what;
        if (body instanceof SettleRequest settle) {
            if (hold.getState() != HoldState.HELD) {
                return LedgerStep.nothing();
            }
            charged = SettlementRules.settle(hold, settle.getKind(), settle.getActual(), budgets,
                    request.getRequestId(), now);
            what = settle.getKind() + (settle.getKind() == dev.budgetmeter.schemas.ledger.SettleKind.COMMIT
                    ? " of " + settle.getActual() : "") + ": the hold of " + hold.getEstimate() + " returned";
        } else if (body instanceof DebitRequest debit) {
            charged = SettlementRules.debit(hold, debit.getAmount().getAmount(), budgets, request.getRequestId(),
                    now);
            what = (debit.getUnauthorized() ? "unauthorized usage" : "debit") + " of "
                    + debit.getAmount().getAmount();
        } else {
            return LedgerStep.nothing();
        }
        final String detail = what + (charged.uncharged() > 0 ? "; " + charged.uncharged()
                + " above what the budgets had left is not recorded (over their limit)" : "")
                + (budgets.isEmpty() ? "; no budget to charge" : "");
        return new LedgerStep(hold, false, null, charged.changed(), audit(request, AuditKind.BUDGET_SETTLED,
                discriminator(request), detail, charged.changed(), now));
    }

    /** Applies an operator's budget operation to the budget it names ({@code current}, or null). */
    public OperationResult onOperation(final BudgetOperation operation, final Balance current, final long now) {
        return OperationRules.apply(operation, current, now);
    }

    /** The audit record of an applied or refused budget operation. */
    public static AuditRecord audit(final BudgetOperation operation, final OperationResult result, final long now) {
        return AuditRecord.newBuilder()
                .setAuditId(operation.getOperationId() + ":" + (result.budget() != null ? AuditKind.BUDGET_CHANGED
                        : AuditKind.BUDGET_OPERATION_REFUSED))
                .setReservationId(operation.getOperationId())
                .setAt(Instant.ofEpochMilli(now))
                .setKind(result.budget() != null ? AuditKind.BUDGET_CHANGED : AuditKind.BUDGET_OPERATION_REFUSED)
                .setDetail(describe(operation) + (result.refusal() == null ? "" : "; refused: " + result.refusal()))
                .setBalances(result.budget() == null ? List.of() : List.of(Budgets.copy(result.budget())))
                .build();
    }

    private LedgerStep decide(final LedgerRequest request, final HoldRequest reserve, final BudgetBook book,
                              final long now) {
        final Decided decided = reserves.decide(request.getReservationId(), reserve, book, now);
        final List<Balance> affected = decided.affected().stream().map(Budgets::copy).toList();
        final Decision decision = Decision.newBuilder()
                .setReservationId(request.getReservationId())
                .setReserveEventId(reserve.getReserveEventId())
                .setDecision(decided.decision())
                .setReasonCode(decided.reasonCode())
                .setDeniedScope(decided.deniedScope())
                .setCaps(decided.caps())
                .setAffectedScopes(decided.affected().stream().map(Balance::getScope).toList())
                .setBalances(affected)
                .setExpiresAtMs(decided.allowed() ? reserve.getExpiresAtMs() : null)
                .setReplyPartition(reserve.getReplyPartition())
                .setDecidedAt(Instant.ofEpochMilli(now))
                .build();
        final AuditRecord audit = decided.allowed()
                ? audit(request, AuditKind.BUDGET_HELD, null, "held " + reserve.getEstimate().getAmount() + " "
                + reserve.getEstimate().getUnit() + " on " + decision.getAffectedScopes(), affected, now)
                : null;
        return new LedgerStep(decided.hold(), false, decision, decided.changed(), audit);
    }

    private static String discriminator(final LedgerRequest request) {
        final String id = request.getRequestId();
        final String suffix = id.substring(request.getReservationId().length() + 1);
        return suffix.startsWith("debit:") ? suffix : null;
    }

    private static AuditRecord audit(final LedgerRequest request, final AuditKind kind, final String discriminator,
                                     final String detail, final List<Balance> balances, final long now) {
        return AuditRecord.newBuilder()
                .setAuditId(request.getReservationId() + ":" + kind + (discriminator == null ? "" : ":" + discriminator))
                .setReservationId(request.getReservationId())
                .setAt(Instant.ofEpochMilli(now))
                .setKind(kind)
                .setCommandId(request.getRequestId())
                .setDetail(detail)
                .setBalances(balances.stream().map(Budgets::copy).toList())
                .build();
    }

    private static String describe(final BudgetOperation operation) {
        return operation.getBody().getClass().getSimpleName() + " " + operation.getScope() + " "
                + operation.getUnit() + (operation.getReason() == null ? "" : " (" + operation.getReason() + ")");
    }
}
