package dev.budgetmeter.reliability.check;

import static org.awaitility.Awaitility.await;

import dev.budgetmeter.cli.audit.Expectations;
import dev.budgetmeter.cli.audit.LedgerReader;
import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.cli.audit.Rule;
import dev.budgetmeter.cli.audit.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Judges a scenario's outputs: the cli's oracle ({@link dev.budgetmeter.cli.audit.LedgerOracle}, read_committed)
 * with the producer's expectations, plus the scenario's own checks. Waits until everything holds, then reads once
 * more after a quiet period, so that a second terminal command or a stray debit arriving late is caught too.
 */
public final class LedgerCheck {

    /** Long enough for a duplicate to surface: several punctuations and commit intervals. */
    private static final Duration QUIET_PERIOD = Duration.ofSeconds(3);

    private final LedgerReader reader;
    private final Expectations expectations;
    private final Function<LedgerSnapshot, List<String>> scenarioChecks;

    /**
     * @param scenarioChecks problems the scenario finds in a snapshot beyond the oracle's (empty when none)
     */
    public LedgerCheck(final LedgerReader reader, final Expectations expectations,
                       final Function<LedgerSnapshot, List<String>> scenarioChecks) {
        this.reader = reader;
        this.expectations = expectations;
        this.scenarioChecks = scenarioChecks;
    }

    /**
     * Waits up to {@code bound} until the oracle and the scenario's checks pass, then checks once more after the
     * quiet period; returns that last snapshot and its verdict.
     *
     * @throws AssertionError naming every finding when they do not pass in time
     */
    public Outcome awaitHolds(final Duration bound) {
        await("oracle holds").atMost(bound).pollInterval(Duration.ofSeconds(1))
                .ignoreException(TimeoutException.class)
                .untilAsserted(() -> judge(reader.readAll()));
        return await("oracle still holds after a quiet period").pollDelay(QUIET_PERIOD).atMost(bound)
                .ignoreException(TimeoutException.class)
                .until(() -> judge(reader.readAll()), outcome -> true);
    }

    private Outcome judge(final LedgerSnapshot snapshot) {
        final Verdict verdict = snapshot.verify(expectations);
        final List<String> problems = new ArrayList<>(scenarioChecks.apply(snapshot));
        if (!verdict.passed() || !problems.isEmpty()) {
            throw new AssertionError(report(verdict, problems));
        }
        return new Outcome(snapshot, verdict);
    }

    private static String report(final Verdict verdict, final List<String> problems) {
        final StringBuilder text = new StringBuilder("oracle: ").append(verdict.findings().size())
                .append(" findings over ").append(verdict.reservations()).append(" reservations (settled ")
                .append(verdict.settled()).append(", open ").append(verdict.open()).append(")");
        verdict.findings().stream().limit(20).forEach(finding -> text.append("\n  ").append(finding));
        text.append("\nscenario checks: ").append(problems.size()).append(" problems");
        problems.stream().limit(20).forEach(problem -> text.append("\n  ").append(problem));
        return text.toString();
    }

    /**
     * A snapshot that passed, with its verdict.
     *
     * @param snapshot what the output topics held
     * @param verdict  the oracle's verdict on it (passed)
     */
    public record Outcome(LedgerSnapshot snapshot, Verdict verdict) {

        /** Terminal commands in the snapshot: one per settled reservation, since the oracle passed. */
        public long terminalCommands() {
            return snapshot.commands().stream().filter(Trails::isTerminal).count();
        }

        /** The oracle's findings of one rule (none, since it passed: counted for the published figures). */
        public long findings(final Rule rule) {
            return verdict.findings().stream().filter(finding -> finding.rule() == rule).count();
        }
    }
}
