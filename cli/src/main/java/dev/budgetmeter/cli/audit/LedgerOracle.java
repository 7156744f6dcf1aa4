package dev.budgetmeter.cli.audit;

import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.Balance;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Overage;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * The correctness oracle of the pipeline: a pure check of what the commands and audit topics hold, with no I/O, so
 * the demo, {@code audit verify} and the reliability tests judge a run by the same rules.
 *
 * <p>For every reservation, whatever else happened: it ends at most once, by a Commit, a Release or a lapse (a
 * HOLD_LAPSED audit record: the hold passed {@code expires_at + grace} unsettled, so neither command may be sent);
 * no Extend issued after the expiry it extends, no Commit or Release after {@code expires_at + grace} (the authority
 * refuses both); a Commit above the estimate only when its COMMITTED audit record carries that overage; a Release
 * returns exactly the estimate; every Debit comes after the reservation's ending; no Extend after it; extend keys
 * {@code <r>:extend:1..n} and debit keys {@code <r>:debit:1..n} each once, in order; commands only with an audit
 * trail. With the budget ledger: every budget its records carry keeps remaining = allocated - spent - reserved -
 * debt; an allowed reservation is held once and settled once on the same budgets, a refused one held nowhere (a
 * refusal is its ending). A reservation the audit shows settled must have its ending. Every applied event is
 * accounted for by exactly one audit record (usage is audited per interval and per transition, not per event). With
 * {@link Expectations},
 * every expected
 * reservation must have ended, and its Commit plus Debits must charge exactly the usage the worker priced.
 */
public final class LedgerOracle {

    private LedgerOracle() {
    }

    /**
     * Checks every reservation found in {@code commands} and {@code audits} (each in topic order) and every one
     * {@code expectations} names, and the budget ledger's latest {@code balances} against them
     * ({@link BudgetTotals}). The records of operators' budget operations are not reservations: their balances
     * are checked, nothing else.
     */
    public static Verdict check(final List<BudgetCommand> commands, final List<AuditRecord> audits,
                                final List<Balance> balances, final Expectations expectations) {
        final List<ReservationTrail> trails = new ArrayList<>();
        final List<Finding> findings = new ArrayList<>();
        for (final ReservationTrail trail : group(commands, audits, expectations)) {
            if (trail.isBudgetOperation()) {
                checkBalances(trail, (rule, message) -> findings.add(new Finding(trail.reservationId(), rule,
                        message)));
            } else {
                trails.add(trail);
            }
        }
        int settled = 0;
        int open = 0;
        for (final ReservationTrail trail : trails) {
            findings.addAll(check(trail, expectations));
            if (trail.endings() > 0) {
                settled++;
            } else if (trail.auditedStatus().orElse(ReservationStatus.ACTIVE) == ReservationStatus.ACTIVE) {
                open++;
            }
        }
        findings.addAll(BudgetTotals.check(balances, trails, expectations));
        return new Verdict(findings, trails.size(), settled, open);
    }

    /** The findings of one reservation. */
    static List<Finding> check(final ReservationTrail trail, final Expectations expectations) {
        final List<Finding> findings = new ArrayList<>();
        final Reporter report = (rule, message) -> findings.add(new Finding(trail.reservationId(), rule, message));
        checkTerminals(trail, expectations, report);
        checkAmounts(trail, report);
        checkOrder(trail, report);
        checkHoldTimes(trail, report);
        checkLedger(trail, report);
        checkUsage(trail, report);
        checkKeys(trail, "extend", trail.extendCommands(), command -> ((Extend) command.getBody()).getN(), report);
        checkKeys(trail, "debit", trail.debitCommands(), command -> -1, report);
        expectations.chargeOf(trail.reservationId()).ifPresent(expected -> checkCharge(trail, expected, report));
        return findings;
    }

    private static void checkTerminals(final ReservationTrail trail, final Expectations expectations,
                                       final Reporter report) {
        final List<BudgetCommand> terminals = trail.terminals();
        if (trail.endings() > 1) {
            report.add(Rule.TERMINAL_DUPLICATE, trail.endings() + " endings: "
                    + keys(terminals, BudgetCommand::getIdempotencyKey)
                    + (trail.lapses().isEmpty() ? "" : " and " + trail.lapses().size() + " lapse(s) of the hold"));
        }
        if (trail.endings() > 0) {
            return;
        }
        final Optional<ReservationStatus> audited = trail.auditedStatus();
        if (audited.isPresent() && audited.get() != ReservationStatus.ACTIVE) {
            report.add(Rule.TERMINAL_MISSING, "the audit records it " + audited.get()
                    + " but the commands topic has no Commit or Release");
        } else if (expectations.mustSettle().contains(trail.reservationId())) {
            report.add(Rule.TERMINAL_MISSING, trail.audits().isEmpty() && trail.commands().isEmpty()
                    ? "no command and no audit record: its Reserve never reached the topology"
                    : "still open: no Commit or Release after " + trail.audits().size() + " audit records, the last "
                    + (trail.audits().isEmpty() ? "none" : trail.audits().get(trail.audits().size() - 1).getKind()));
        }
    }

    /**
     * At every audit record with a snapshot, the events applied so far (its seq watermark and the seqs above it) are
     * those the records up to it covered plus those not audited yet: none counted twice, none dropped. Records
     * written before the usage field existed covered their own event each and are not checked.
     */
    private static void checkUsage(final ReservationTrail trail, final Reporter report) {
        if (trail.audits().stream().allMatch(audit -> audit.getUsage() == null)) {
            return;
        }
        long covered = 0;
        for (final AuditRecord audit : trail.audits()) {
            if (audit.getUsage() != null) {
                covered += audit.getUsage().getEvents();
            }
            final ReservationSnapshot snapshot = audit.getSnapshot();
            if (snapshot == null) {
                continue;
            }
            final long applied = snapshot.getAppliedSeqWatermark() + 1 + snapshot.getAppliedSeqsAbove().size();
            if (applied != covered + snapshot.getUnauditedEvents()) {
                report.add(Rule.USAGE_UNACCOUNTED, audit.getAuditId() + ": " + applied + " events applied, "
                        + covered + " covered by audit records so far and " + snapshot.getUnauditedEvents()
                        + " waiting for one");
                return;
            }
        }
    }

    private static void checkAmounts(final ReservationTrail trail, final Reporter report) {
        if (trail.audits().isEmpty() && !trail.commands().isEmpty()) {
            report.add(Rule.AUDIT_MISSING, "commands " + keys(trail.commands(), BudgetCommand::getIdempotencyKey)
                    + " without any audit record, so the estimate is unknown");
        }
        final Optional<Amount> estimate = trail.estimate();
        if (estimate.isEmpty()) {
            return;
        }
        for (final BudgetCommand command : trail.terminals()) {
            if (command.getBody() instanceof Commit commit) {
                checkCommit(trail, command, commit, estimate.get(), report);
            } else if (command.getBody() instanceof Release release && !release.getReleased().equals(estimate.get())) {
                report.add(Rule.RELEASE_NOT_ESTIMATE, command.getIdempotencyKey() + " returns "
                        + amount(release.getReleased()) + " but the estimate is " + amount(estimate.get()));
            }
        }
    }

    private static void checkCommit(final ReservationTrail trail, final BudgetCommand command, final Commit commit,
                                    final Amount estimate, final Reporter report) {
        final long actual = commit.getActual().getAmount();
        if (actual <= estimate.getAmount()) {
            return;
        }
        final Overage overage = trail.auditOf(command.getCommandId()).map(AuditRecord::getOverage).orElse(null);
        if (overage == null || overage.getAmount() != actual - estimate.getAmount()) {
            report.add(Rule.COMMIT_ABOVE_ESTIMATE, command.getIdempotencyKey() + " charges "
                    + Numbers.number(actual) + " above the estimate of " + amount(estimate) + " and its audit record "
                    + (overage == null ? "carries no overage"
                    : "says the overage is " + Numbers.number(overage.getAmount())));
        }
    }

    /**
     * No Extend after the expiry it extends (the protocol's extend has no grace), no Commit or Release after the
     * expiry plus the grace period: the authority refuses them (410). The expiry starts as the Reserve's and moves
     * with every Extend, in the order the commands were issued.
     */
    private static void checkHoldTimes(final ReservationTrail trail, final Reporter report) {
        final Optional<ReservationSnapshot> opened = trail.openingSnapshot();
        if (opened.isEmpty()) {
            return;
        }
        long expiry = opened.get().getExpiresAtMs();
        final long grace = opened.get().getGracePeriodMs();
        for (final BudgetCommand command : trail.commands()) {
            final long issued = command.getIssuedAt().toEpochMilli();
            if (command.getBody() instanceof Extend extend) {
                if (issued > expiry) {
                    report.add(Rule.COMMAND_AFTER_EXPIRY, command.getIdempotencyKey() + " was issued "
                            + (issued - expiry) + " ms after the hold expired at " + Instant.ofEpochMilli(expiry));
                }
                expiry = extend.getNewExpiresAtMs();
            } else if (ReservationTrail.isTerminal(command) && issued > expiry + grace) {
                report.add(Rule.COMMAND_AFTER_EXPIRY, command.getIdempotencyKey() + " was issued "
                        + (issued - expiry - grace) + " ms after the hold's expiry plus grace, "
                        + Instant.ofEpochMilli(expiry + grace) + ": the authority refuses it");
            }
        }
    }

    /**
     * The budget ledger's records of the reservation: every budget they carry keeps its invariant; an allowed
     * reservation is held once and, once it ended otherwise than refused, settled once, on the same budgets; a
     * refused one is held nowhere.
     */
    private static void checkLedger(final ReservationTrail trail, final Reporter report) {
        checkBalances(trail, report);
        final List<AuditRecord> holds = trail.ledgerHolds();
        final List<AuditRecord> settlements = trail.ledgerSettlements();
        if (!trail.refusals().isEmpty()) {
            if (!holds.isEmpty()) {
                report.add(Rule.LEDGER_HOLD, "refused, yet held: " + keys(holds, AuditRecord::getAuditId));
            }
            return;
        }
        final boolean allowed = !trail.audits(AuditKind.RESERVE_ALLOWED).isEmpty();
        if (!allowed && holds.isEmpty()) {
            return;
        }
        if (holds.size() != 1) {
            report.add(Rule.LEDGER_HOLD, holds.size() + " holds of an allowed reservation");
            return;
        }
        final boolean ended = trail.endings() > 0;
        if (ended && settlements.size() != 1 || !ended && settlements.size() > 1) {
            report.add(Rule.LEDGER_HOLD, settlements.size() + " settlements of its hold"
                    + (ended ? " after it ended" : " while it is open"));
        } else if (settlements.size() == 1 && !scopes(holds.get(0)).equals(scopes(settlements.get(0)))) {
            report.add(Rule.LEDGER_HOLD, "held on " + scopes(holds.get(0)) + " but settled on "
                    + scopes(settlements.get(0)));
        }
    }

    /** Every budget the trail's records carry keeps remaining = allocated - spent - reserved - debt. */
    private static void checkBalances(final ReservationTrail trail, final Reporter report) {
        for (final AuditRecord audit : trail.audits()) {
            for (final Balance balance : audit.getBalances()) {
                if (balance.getRemaining() != BudgetTotals.invariantRemaining(balance)) {
                    report.add(Rule.BALANCE_INVARIANT, audit.getAuditId() + ": " + balance.getScope() + " "
                            + balance.getUnit() + " remaining " + balance.getRemaining() + " but allocated - spent"
                            + " - reserved - debt is " + BudgetTotals.invariantRemaining(balance));
                }
            }
        }
    }

    private static List<String> scopes(final AuditRecord audit) {
        return audit.getBalances().stream().map(balance -> balance.getScope() + " " + balance.getUnit()).toList();
    }

    private static void checkOrder(final ReservationTrail trail, final Reporter report) {
        final Optional<AuditRecord> endedWithoutCommand = Stream.concat(trail.lapses().stream(),
                trail.refusals().stream()).findFirst();
        if (endedWithoutCommand.isPresent() && trail.terminals().isEmpty()) {
            // Commands and audit records are on two topics: the lapse or refusal is placed among them by its time.
            final Instant endedAt = endedWithoutCommand.get().getAt();
            final String ending = endedWithoutCommand.get().getKind() == AuditKind.HOLD_LAPSED ? "the hold lapsed"
                    : "the Reserve was refused";
            for (final BudgetCommand command : trail.commands()) {
                final boolean before = command.getIssuedAt().isBefore(endedAt);
                if (command.getBody() instanceof Debit && before) {
                    report.add(Rule.DEBIT_UNSETTLED, command.getIdempotencyKey() + " comes before " + ending);
                } else if (command.getBody() instanceof Extend && !before) {
                    report.add(Rule.EXTEND_AFTER_SETTLEMENT, command.getIdempotencyKey() + " comes after " + ending);
                }
            }
            return;
        }
        final int terminal = trail.firstTerminalIndex();
        final List<BudgetCommand> commands = trail.commands();
        for (int i = 0; i < commands.size(); i++) {
            final BudgetCommand command = commands.get(i);
            final boolean beforeSettlement = terminal < 0 || i < terminal;
            if (command.getBody() instanceof Debit && beforeSettlement) {
                report.add(Rule.DEBIT_UNSETTLED, command.getIdempotencyKey() + (terminal < 0
                        ? " for a reservation that has no Commit or Release"
                        : " comes before the reservation's " + commands.get(terminal).getIdempotencyKey()));
            } else if (command.getBody() instanceof Extend && !beforeSettlement) {
                report.add(Rule.EXTEND_AFTER_SETTLEMENT, command.getIdempotencyKey() + " comes after "
                        + commands.get(terminal).getIdempotencyKey());
            }
        }
    }

    /**
     * Keys {@code <r>:<kind>:1..n}, in order, each once; {@code numberInBody} gives the number the command itself
     * carries, or -1 when it carries none.
     */
    private static void checkKeys(final ReservationTrail trail, final String kind, final List<BudgetCommand> commands,
                                  final ToIntFunction<BudgetCommand> numberInBody, final Reporter report) {
        for (int i = 0; i < commands.size(); i++) {
            final BudgetCommand command = commands.get(i);
            final String expected = trail.reservationId() + ":" + kind + ":" + (i + 1);
            final int number = numberInBody.applyAsInt(command);
            if (!expected.equals(command.getIdempotencyKey()) || (number >= 0 && number != i + 1)) {
                report.add(Rule.KEY_SEQUENCE, kind + " keys " + keys(commands, BudgetCommand::getIdempotencyKey)
                        + " are not " + kind + ":1.." + commands.size() + " in order, each once");
                return;
            }
        }
    }

    private static void checkCharge(final ReservationTrail trail, final long expected, final Reporter report) {
        if (trail.endings() != 1) {
            return;
        }
        final long charged = trail.charged();
        if (charged != expected) {
            final String ending = trail.terminals().isEmpty() ? "the lapse"
                    : trail.terminals().get(0).getIdempotencyKey();
            report.add(Rule.CHARGE_MISMATCH, ending + " and " + trail.debitCommands().size() + " debits charge "
                    + Numbers.number(charged) + " but the worker's priced usage is " + Numbers.number(expected)
                    + (!trail.terminals().isEmpty() && trail.terminals().get(0).getBody() instanceof Release
                    ? " (released)" : ""));
        }
    }

    private static List<ReservationTrail> group(final List<BudgetCommand> commands, final List<AuditRecord> audits,
                                                final Expectations expectations) {
        final Map<String, List<BudgetCommand>> commandsById = new LinkedHashMap<>();
        final Map<String, List<AuditRecord>> auditsById = new LinkedHashMap<>();
        final Map<String, Boolean> ids = new LinkedHashMap<>();
        for (final BudgetCommand command : commands) {
            ids.put(command.getReservationId(), true);
            commandsById.computeIfAbsent(command.getReservationId(), id -> new ArrayList<>()).add(command);
        }
        for (final AuditRecord audit : audits) {
            ids.put(audit.getReservationId(), true);
            auditsById.computeIfAbsent(audit.getReservationId(), id -> new ArrayList<>()).add(audit);
        }
        expectations.mustSettle().stream().sorted().forEach(id -> ids.put(id, true));
        return ids.keySet().stream().map(id -> new ReservationTrail(id,
                commandsById.getOrDefault(id, List.of()), auditsById.getOrDefault(id, List.of()))).toList();
    }

    private static <T> String keys(final List<T> items, final Function<T, String> key) {
        return items.stream().map(key).toList().toString();
    }

    private static String amount(final Amount amount) {
        return Numbers.number(amount.getAmount()) + " " + amount.getUnit();
    }

    /** Where one reservation's checks put their findings. */
    @FunctionalInterface
    private interface Reporter {
        void add(Rule rule, String message);
    }
}
