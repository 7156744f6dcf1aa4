package dev.budgetmeter.cli.audit;

import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.ReservationStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The correctness oracle of the pipeline: a pure check of what the commands and audit topics hold, with no I/O, so
 * the demo, {@code audit verify} and the reliability tests judge a run by the same rules.
 *
 * <p>For every reservation, whatever else happened: never two terminal commands (Commit or Release); a Commit above
 * the estimate only when its COMMITTED audit record records the overage ("overage of ..."); a Release returns exactly
 * the estimate; every Debit comes after the reservation's Commit or Release; no Extend after it; extend keys
 * {@code <r>:extend:1..n} and debit keys {@code <r>:debit:1..n} each once, in order; commands only with an audit
 * trail. A reservation the audit shows settled must have its terminal command. With {@link Expectations}, every
 * expected reservation must be settled, and its Commit plus Debits must charge exactly the usage the worker priced.
 */
public final class LedgerOracle {

    /** What the topology writes into a COMMITTED audit record's detail when it charges above the estimate. */
    public static final String OVERAGE_NOTE = "overage of";

    private LedgerOracle() {
    }

    /**
     * Checks every reservation found in {@code commands} and {@code audits} (each in topic order) and every one
     * {@code expectations} names.
     */
    public static Verdict check(final List<BudgetCommand> commands, final List<AuditRecord> audits,
                                final Expectations expectations) {
        final List<ReservationTrail> trails = group(commands, audits, expectations);
        final List<Finding> findings = new ArrayList<>();
        int settled = 0;
        int open = 0;
        for (final ReservationTrail trail : trails) {
            findings.addAll(check(trail, expectations));
            if (!trail.terminals().isEmpty()) {
                settled++;
            } else if (trail.auditedStatus().orElse(ReservationStatus.ACTIVE) == ReservationStatus.ACTIVE) {
                open++;
            }
        }
        return new Verdict(findings, trails.size(), settled, open);
    }

    /** The findings of one reservation. */
    static List<Finding> check(final ReservationTrail trail, final Expectations expectations) {
        final List<Finding> findings = new ArrayList<>();
        final Reporter report = (rule, message) -> findings.add(new Finding(trail.reservationId(), rule, message));
        checkTerminals(trail, expectations, report);
        checkAmounts(trail, report);
        checkOrder(trail, report);
        checkKeys(trail, "extend", trail.extendCommands(), command -> ((Extend) command.getBody()).getN(), report);
        checkKeys(trail, "debit", trail.debitCommands(), command -> -1, report);
        expectations.chargeOf(trail.reservationId()).ifPresent(expected -> checkCharge(trail, expected, report));
        return findings;
    }

    private static void checkTerminals(final ReservationTrail trail, final Expectations expectations,
                                       final Reporter report) {
        final List<BudgetCommand> terminals = trail.terminals();
        if (terminals.size() > 1) {
            report.add(Rule.TERMINAL_DUPLICATE, terminals.size() + " terminal commands: "
                    + keys(terminals, BudgetCommand::getIdempotencyKey));
        }
        if (!terminals.isEmpty()) {
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
        final String detail = trail.auditOf(command.getCommandId()).map(AuditRecord::getDetail).orElse(null);
        if (detail == null || !detail.contains(OVERAGE_NOTE)) {
            report.add(Rule.COMMIT_ABOVE_ESTIMATE, command.getIdempotencyKey() + " charges " + number(actual)
                    + " above the estimate of " + amount(estimate) + " and no audit record notes the overage");
        }
    }

    private static void checkOrder(final ReservationTrail trail, final Reporter report) {
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
        if (trail.terminals().size() != 1) {
            return;
        }
        final long charged = trail.charged();
        if (charged != expected) {
            final BudgetCommand terminal = trail.terminals().get(0);
            report.add(Rule.CHARGE_MISMATCH, terminal.getIdempotencyKey() + " and "
                    + trail.debitCommands().size() + " debits charge " + number(charged)
                    + " but the worker's priced usage is " + number(expected)
                    + (terminal.getBody() instanceof Release ? " (released)" : ""));
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

    static String number(final long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String amount(final Amount amount) {
        return number(amount.getAmount()) + " " + amount.getUnit();
    }

    /** Where one reservation's checks put their findings. */
    @FunctionalInterface
    private interface Reporter {
        void add(Rule rule, String message);
    }
}
