package dev.budgetmeter.cli;

import dev.budgetmeter.cli.audit.Expectations;
import dev.budgetmeter.cli.audit.HistoryFormat;
import dev.budgetmeter.cli.audit.LedgerReader;
import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.cli.audit.Verdict;
import dev.budgetmeter.cli.audit.VerdictReport;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code budget-meter audit}: the replay tool over the audit and commands topics. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Replays the audit topic: one reservation's history, or the invariants over all of them.",
        subcommands = {AuditCommand.History.class, AuditCommand.Verify.class})
final class AuditCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a command: history or verify");
    }

    /** Options both audit commands share. */
    static final class ReadOptions {
        @Mixin
        ClusterOptions cluster;

        @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "120",
                description = "Bound on reading one topic to its end (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        LedgerReader reader() {
            return new LedgerReader(cluster.clientProperties(), cluster.topicRegistry(),
                    Duration.ofSeconds(timeoutSeconds));
        }
    }

    /** {@code audit history <reservation-id>}. */
    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Prints one reservation's transitions in order, and its commands.")
    static final class History implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        private ReadOptions options;

        @Parameters(paramLabel = "RESERVATION-ID", description = "The reservation (the key of its records).")
        private String reservationId;

        @Override
        public Integer call() {
            final LedgerSnapshot snapshot = options.reader().readReservation(reservationId);
            final PrintWriter out = spec.commandLine().getOut();
            HistoryFormat.lines(reservationId, snapshot.audits()).forEach(out::println);
            out.println("commands (" + snapshot.commands().size() + "):");
            for (final BudgetCommand command : snapshot.commands()) {
                out.println("  " + command.getIssuedAt() + "  " + command.getIdempotencyKey() + "  "
                        + command.getBody());
            }
            snapshot.deadLetters().forEach(letter -> out.println("dead letter: " + letter.getReason() + " "
                    + letter.getErrorMessage()));
            out.flush();
            return snapshot.audits().isEmpty() && snapshot.commands().isEmpty() ? 1 : 0;
        }
    }

    /** {@code audit verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Checks every reservation: exactly one terminal command, commit <= estimate unless the",
                    "overage is audited, release = estimate, debits only after settlement, extend keys 1..n.",
                    "Exits 1 when an invariant is broken."})
    static final class Verify implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        private ReadOptions options;

        @Option(names = "--require-settled",
                description = "Also report reservations still open (when no stream should be running).")
        private boolean requireSettled;

        @Option(names = "--max-findings", paramLabel = "N", defaultValue = "50",
                description = "Findings listed at most (default: ${DEFAULT-VALUE}).")
        private int maxFindings;

        @Override
        public Integer call() {
            final LedgerSnapshot snapshot = options.reader().readAll();
            final Verdict verdict = snapshot.verify(requireSettled ? Expectations.settled(ids(snapshot))
                    : Expectations.none());
            final PrintWriter out = spec.commandLine().getOut();
            out.println("read " + snapshot.commands().size() + " commands, " + snapshot.audits().size()
                    + " audit records, " + snapshot.deadLetters().size() + " dead letters");
            VerdictReport.lines(verdict, maxFindings).forEach(out::println);
            out.flush();
            return verdict.passed() ? 0 : 1;
        }

        private static Set<String> ids(final LedgerSnapshot snapshot) {
            final Set<String> ids = new HashSet<>();
            snapshot.commands().forEach(command -> ids.add(command.getReservationId()));
            snapshot.audits().stream().map(AuditRecord::getReservationId).forEach(ids::add);
            return ids;
        }
    }
}
