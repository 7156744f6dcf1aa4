package dev.budgetmeter.cli.audit;

import dev.budgetmeter.schemas.Action;
import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.BudgetStatus;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Metrics;
import dev.budgetmeter.schemas.Overage;
import dev.budgetmeter.schemas.OveragePolicy;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Unit;
import dev.budgetmeter.schemas.UsageCovered;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Commands and audit records of reservations, written the way the topology writes them, for oracle tests. Each
 * method appends to one shared ledger in topic order.
 */
public final class LedgerFixture {

    public static final long ESTIMATE = 400_000;
    private static final long AT = 1_700_000_000_000L;

    final List<BudgetCommand> commands = new ArrayList<>();
    final List<AuditRecord> audits = new ArrayList<>();
    /** The balances topic: the latest balance of every budget. */
    final List<Balance> balances = new ArrayList<>();
    /** The topology time of the records appended next: their command's issued_at and audit record's at. */
    private long now = AT;

    /** Records appended from here on are issued {@code ms} after the Reserve (whose hold lasts 10 s, grace 5 s). */
    LedgerFixture after(final long ms) {
        now = AT + ms;
        return this;
    }

    /** A reservation opened with {@link #ESTIMATE}: its RESERVED audit record. */
    public LedgerFixture reserved(final String id) {
        audits.add(audit(id, AuditKind.RESERVED, null, ReservationStatus.ACTIVE, null, null));
        return this;
    }

    LedgerFixture extend(final String id, final int n) {
        return extendKeyed(id, id + ":extend:" + n, n);
    }

    LedgerFixture extendKeyed(final String id, final String key, final int n) {
        commands.add(command(id, key, new Extend(5_000L, now + 10_000L, n)));
        audits.add(audit(id, AuditKind.EXTENDED, ReservationStatus.ACTIVE, ReservationStatus.ACTIVE, key, null));
        return this;
    }

    /** A Commit and its COMMITTED audit record, which carries the overage when it is above the estimate. */
    public LedgerFixture commit(final String id, final long amount) {
        final Overage overage = amount > ESTIMATE ? new Overage(amount - ESTIMATE, OveragePolicy.ALLOW_IF_AVAILABLE)
                : null;
        return commit(id, amount, overage);
    }

    /** A Commit whose COMMITTED audit record says nothing of an overage, whatever the amount. */
    LedgerFixture commitWithoutOverage(final String id, final long amount) {
        return commit(id, amount, null);
    }

    private LedgerFixture commit(final String id, final long amount, final Overage overage) {
        commands.add(command(id, id + ":commit", new Commit(usd(amount), metrics(), Settlement.COMPLETED,
                SettlementCause.COMPLETED)));
        audits.add(AuditRecord.newBuilder(audit(id, AuditKind.COMMITTED, ReservationStatus.ACTIVE,
                ReservationStatus.COMMITTED, id + ":commit", null)).setOverage(overage).build());
        return this;
    }

    /** The lifecycle learned that the ledger allowed the Reserve. */
    public LedgerFixture allowed(final String id) {
        audits.add(audit(id, AuditKind.RESERVE_ALLOWED, ReservationStatus.ACTIVE, ReservationStatus.ACTIVE, null,
                null));
        return this;
    }

    /** The ledger refused the Reserve: the lifecycle's RESERVE_REFUSED record, and no command. */
    public LedgerFixture refused(final String id) {
        audits.add(audit(id, AuditKind.RESERVE_REFUSED, ReservationStatus.ACTIVE, ReservationStatus.RELEASED, null,
                "BUDGET_EXCEEDED"));
        return this;
    }

    /** The ledger's record of a hold, or of its settlement ({@code kind} BUDGET_HELD or BUDGET_SETTLED). */
    LedgerFixture ledger(final String id, final AuditKind kind, final Balance... balances) {
        audits.add(AuditRecord.newBuilder().setAuditId(id + ":" + kind).setReservationId(id)
                .setAt(Instant.ofEpochMilli(now)).setKind(kind).setBalances(List.of(balances)).build());
        return this;
    }

    /** An operator's budget operation, applied: its BUDGET_CHANGED record under the operation id. */
    LedgerFixture budgetChanged(final String operationId, final Balance budget) {
        return ledger(operationId, AuditKind.BUDGET_CHANGED, budget);
    }

    /** Everything appended so far, as the topics hold it. */
    public LedgerSnapshot snapshot() {
        return new LedgerSnapshot(commands, audits, List.of(), balances);
    }

    /** The latest balance of a budget on the balances topic. */
    LedgerFixture latest(final Balance budget) {
        balances.add(budget);
        return this;
    }

    /** A budget's balance; {@code remaining} as given, so that a broken invariant can be written. */
    static Balance balance(final String scope, final long allocated, final long spent, final long reserved,
                           final long remaining) {
        return balance(scope, allocated, spent, reserved, 0, remaining, false);
    }

    /** A budget's balance with debt and its over-limit flag. */
    static Balance balance(final String scope, final long allocated, final long spent, final long reserved,
                           final long debt, final long remaining, final boolean overLimit) {
        return Balance.newBuilder().setScope(scope).setUnit(Unit.USD_MICROCENTS).setStatus(BudgetStatus.ACTIVE)
                .setAllocated(allocated).setSpent(spent).setReserved(reserved).setDebt(debt).setOverdraftLimit(0L)
                .setRemaining(remaining).setIsOverLimit(overLimit).setUpdatedAt(Instant.ofEpochMilli(AT)).build();
    }

    /**
     * A USAGE_RECORDED audit record covering {@code events} events (seqs {@code first..last}) whose snapshot says seqs
     * 0..{@code watermark} were applied and {@code waiting} wait for a record.
     */
    LedgerFixture usage(final String id, final long first, final long last, final int events, final long watermark,
                        final int waiting) {
        final AuditRecord audit = audit(id, AuditKind.USAGE_RECORDED, ReservationStatus.ACTIVE,
                ReservationStatus.ACTIVE, null, null);
        audits.add(AuditRecord.newBuilder(audit).setAuditId(id + ":USAGE_RECORDED:" + first + ".." + last)
                .setUsage(new UsageCovered(first, last, events))
                .setSnapshot(ReservationSnapshot.newBuilder(audit.getSnapshot()).setAppliedSeqWatermark(watermark)
                        .setUnauditedEvents(waiting).build())
                .build());
        return this;
    }

    /** The hold lapsed unsettled: a HOLD_LAPSED audit record and no command. */
    LedgerFixture lapse(final String id) {
        audits.add(audit(id, AuditKind.HOLD_LAPSED, ReservationStatus.ACTIVE, ReservationStatus.RELEASED, null, null));
        return this;
    }

    LedgerFixture release(final String id, final long released) {
        commands.add(command(id, id + ":release", new Release("idle_timeout", usd(released), SettlementCause.IDLE_TIMEOUT)));
        audits.add(audit(id, AuditKind.RELEASED, ReservationStatus.ACTIVE, ReservationStatus.RELEASED,
                id + ":release", null));
        return this;
    }

    /** A terminal command with no audit record of it. */
    LedgerFixture commitCommandOnly(final String id, final long amount) {
        commands.add(command(id, id + ":commit", new Commit(usd(amount), metrics(), Settlement.COMPLETED, SettlementCause.COMPLETED)));
        return this;
    }

    /** An audit record saying the reservation was committed, with no command. */
    LedgerFixture committedAuditOnly(final String id) {
        audits.add(audit(id, AuditKind.COMMITTED, ReservationStatus.ACTIVE, ReservationStatus.COMMITTED,
                id + ":commit", null));
        return this;
    }

    LedgerFixture debit(final String id, final int n, final long amount) {
        commands.add(command(id, id + ":debit:" + n, new Debit(usd(amount), metrics(), "usage_after_settlement")));
        audits.add(audit(id, AuditKind.DEBITED, ReservationStatus.COMMITTED, ReservationStatus.COMMITTED,
                id + ":debit:" + n, null));
        return this;
    }

    Verdict check(final Expectations expectations) {
        return LedgerOracle.check(commands, audits, balances, expectations);
    }

    private BudgetCommand command(final String id, final String key, final Object body) {
        return BudgetCommand.newBuilder().setCommandId(key).setReservationId(id).setIdempotencyKey(key)
                .setIssuedAt(Instant.ofEpochMilli(now)).setSubject(subject()).setAction(action()).setBody(body).build();
    }

    private AuditRecord audit(final String id, final AuditKind kind, final ReservationStatus from,
                              final ReservationStatus to, final String commandId, final String detail) {
        return AuditRecord.newBuilder().setAuditId(id + ":" + kind).setReservationId(id)
                .setAt(Instant.ofEpochMilli(now)).setKind(kind).setFrom(from).setTo(to).setCommandId(commandId)
                .setDetail(detail).setSnapshot(snapshot(id, to)).build();
    }

    private static ReservationSnapshot snapshot(final String id, final ReservationStatus status) {
        return ReservationSnapshot.newBuilder().setReservationId(id).setStatus(status).setReserveEventId(id + "#0")
                .setSubject(subject()).setAction(action()).setEstimate(usd(ESTIMATE)).setTtlMs(10_000)
                .setGracePeriodMs(5_000).setOveragePolicy(OveragePolicy.ALLOW_IF_AVAILABLE)
                .setExpiresAtMs(AT + 10_000).setFirstEventAtMs(AT).setLastEventAtMs(AT).build();
    }

    private static Amount usd(final long amount) {
        return new Amount(Unit.USD_MICROCENTS, amount);
    }

    private static Metrics metrics() {
        return new Metrics(10L, 100L, 0L, null, Map.of());
    }

    private static Subject subject() {
        return Subject.newBuilder().setTenant("acme").build();
    }

    private static Action action() {
        return new Action("llm.completion", "gpt-4o", List.of());
    }
}
