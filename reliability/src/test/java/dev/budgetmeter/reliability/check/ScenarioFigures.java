package dev.budgetmeter.reliability.check;

import dev.budgetmeter.cli.audit.Rule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The figures of one passed scenario, for the README's reliability section: appended as a Markdown table row to
 * {@code target/reliability-figures.md} and logged. Immutable.
 *
 * @param scenario         short name
 * @param faults           the faults injected, for a person to read
 * @param inputsTried      input records written (events, duplicates and hostile records included)
 * @param terminalsChecked terminal commands the oracle checked
 * @param losses           the oracle's findings of a missing terminal or of a charge other than the reported spend
 * @param duplicates       the oracle's findings of a second terminal command or a repeated extend or debit key
 * @param recovery         from the fault to the first output of every task it hit ({@link Recovery}), or "n/a"
 * @param took             wall-clock time of the scenario
 */
public record ScenarioFigures(String scenario, String faults, long inputsTried, long terminalsChecked, long losses,
                              long duplicates, String recovery, Duration took) {

    /**
     * The figures of a scenario judged by one or more oracle checks (a replay has two ledgers).
     *
     * @param startedNanos {@link System#nanoTime()} when the scenario started
     * @param recovery     the recovery from the scenario's fault, {@link Recovery#NOT_APPLICABLE} without one
     */
    public static ScenarioFigures of(final String scenario, final String faults, final long inputsTried,
                                     final long startedNanos, final Recovery recovery,
                                     final LedgerCheck.Outcome... outcomes) {
        long terminals = 0;
        long losses = 0;
        long duplicates = 0;
        for (final LedgerCheck.Outcome outcome : outcomes) {
            terminals += outcome.terminalCommands();
            losses += outcome.findings(Rule.TERMINAL_MISSING) + outcome.findings(Rule.CHARGE_MISMATCH);
            duplicates += outcome.findings(Rule.TERMINAL_DUPLICATE) + outcome.findings(Rule.KEY_SEQUENCE);
        }
        return new ScenarioFigures(scenario, faults, inputsTried, terminals, losses, duplicates, recovery.figure(),
                Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    private static final Path FILE = Path.of(System.getProperty("reliability.figures.file",
            "target/reliability-figures.md"));

    private static final String HEADER = "| scenario | faults injected | inputs tried | terminal commands checked"
            + " | losses | duplicates | recovery | time |\n|---|---|---|---|---|---|---|---|\n";
    /** Whether this JVM has started the file: each test run writes a fresh table. */
    private static boolean started;

    /** Appends the row and logs it. */
    public void publish() {
        final String row = String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %d | %d | %s | %.0f s |%n", scenario,
                faults, inputsTried, terminalsChecked, losses, duplicates, recovery, took.toMillis() / 1000.0);
        System.out.print("[reliability] " + row);
        try {
            Files.createDirectories(FILE.getParent());
            startTableOnce();
            Files.writeString(FILE, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void startTableOnce() throws IOException {
        if (!started) {
            Files.writeString(FILE, HEADER, StandardCharsets.UTF_8);
            started = true;
        }
    }
}
