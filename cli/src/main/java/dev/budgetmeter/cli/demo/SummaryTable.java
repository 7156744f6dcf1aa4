package dev.budgetmeter.cli.demo;

import dev.budgetmeter.cli.audit.VerdictReport;
import dev.budgetmeter.cli.fleet.Ending;
import dev.budgetmeter.cli.fleet.FleetResult;
import dev.budgetmeter.schemas.Balance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The final summary of a fleet run, as an aligned two-column table followed by the oracle's verdict: streams by
 * ending, the authority's decisions and the budgets after the run (with the budget ledger), commits by settlement,
 * releases by reason, extends, debits, dead letters, estimated against committed amounts, and the End -> Commit
 * latency.
 */
public final class SummaryTable {

    private static final int LABEL_WIDTH = 52;
    private static final int VALUE_WIDTH = 22;
    /** USD microcents per dollar: 1 microcent is 10^-8 USD. */
    private static final double MICROCENTS_PER_USD = 100_000_000d;
    private static final int MAX_FINDINGS = 20;

    private final List<String> lines = new ArrayList<>();

    private SummaryTable() {
    }

    /** The table's lines under {@code title}. */
    public static List<String> lines(final String title, final FleetRun.Outcome outcome) {
        final SummaryTable table = new SummaryTable();
        table.title(title);
        table.streams(outcome.fleet(), outcome);
        if (!outcome.balances().isEmpty()) {
            table.decisions(outcome.fleet());
            table.budgets(outcome.balances());
        }
        table.commands(outcome.totals());
        table.amounts(outcome.totals());
        table.latency(outcome.latency());
        table.rule();
        table.lines.addAll(VerdictReport.lines(outcome.verdict(), MAX_FINDINGS));
        if (!outcome.settledInTime()) {
            table.lines.add("WARNING: not every stream was settled within the settle timeout");
        }
        if (outcome.firstFailure() != null) {
            table.lines.add("WARNING: a worker's call to the meter failed, first: " + outcome.firstFailure());
        }
        return table.lines;
    }

    private void streams(final FleetResult fleet, final FleetRun.Outcome outcome) {
        row("streams (opened / planned)", count(fleet.opened().size()) + " / " + count(fleet.plans().size()));
        if (fleet.refusedByAuthority() > 0) {
            row("  refused by the budget authority", count(fleet.refusedByAuthority()));
        }
        row("  reservation ids", outcome.runId() + "-1.." + fleet.plans().size());
        final Map<Ending, Integer> endings = fleet.endings();
        for (final Ending ending : Ending.values()) {
            row("  " + ending.name().toLowerCase(Locale.ROOT), count(endings.getOrDefault(ending, 0)));
        }
        row("  long enough to need extends", count(fleet.longStreams()));
        row("streaming time", seconds(fleet.elapsed()));
        row("events sent / failed", count(outcome.meterMetrics().eventsSent()) + " / "
                + count(outcome.meterMetrics().eventsFailed() + outcome.meterMetrics().eventsRefused()));
        rule();
    }

    private void decisions(final FleetResult fleet) {
        row("decisions of the budget ledger", count(fleet.decisions().size()));
        fleet.decisionCounts().forEach((kind, n) -> row("  " + kind, count(n)));
        rule();
    }

    private void budgets(final List<Balance> balances) {
        row("budgets after the run", "spent / allocated");
        balances.stream().sorted(Comparator.comparing(Balance::getScope)).forEach(balance -> row(
                "  " + abbreviate(balance.getScope()) + (balance.getIsOverLimit() ? " (over limit)" : ""),
                dollars(balance.getSpent() + balance.getDebt()) + " / " + dollars(balance.getAllocated())));
        rule();
    }

    private void commands(final RunTotals totals) {
        row("commits", count(totals.commits()));
        totals.commitsBySettlement().forEach((settlement, n) -> row("  " + settlement, count(n)));
        row("releases", count(totals.releases()));
        totals.releasesByReason().forEach((reason, n) -> row("  " + abbreviate(reason), count(n)));
        row("holds lapsed before settlement (usage debited)", count(totals.lapses()));
        row("extends", count(totals.extendsIssued()));
        row("debits", count(totals.debits()));
        row("dead letters", count(totals.deadLetterCount()));
        totals.deadLetters().forEach((reason, n) -> row("  " + reason, count(n)));
        rule();
    }

    private void amounts(final RunTotals totals) {
        row("estimated (held by the reserves)", dollars(totals.estimated()));
        row("committed", dollars(totals.committed()) + percentOf(totals.committed(), totals.estimated()));
        row("  commits above the estimate (audited)", count(totals.overages()));
        row("debited after settlement or lapse", dollars(totals.debited()));
        row("released whole", dollars(totals.released()));
        rule();
    }

    private void latency(final LatencyRecorder latency) {
        row("end event sent -> commit visible, p50", millis(latency.percentile(50)));
        row("end event sent -> commit visible, p99", millis(latency.percentile(99)));
        row("  streams timed", count(latency.count()));
    }

    private void title(final String title) {
        lines.add("");
        lines.add(title);
        rule();
    }

    private void rule() {
        lines.add("-".repeat(LABEL_WIDTH + VALUE_WIDTH + 1));
    }

    private void row(final String label, final String value) {
        lines.add(String.format(Locale.ROOT, "%-" + LABEL_WIDTH + "s %" + VALUE_WIDTH + "s", label, value));
    }

    private static String abbreviate(final String text) {
        return text.length() <= LABEL_WIDTH - 4 ? text : text.substring(0, LABEL_WIDTH - 7) + "...";
    }

    static String count(final long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String dollars(final long microcents) {
        return String.format(Locale.ROOT, "$%,.4f", microcents / MICROCENTS_PER_USD);
    }

    private static String percentOf(final long part, final long whole) {
        return whole == 0 ? "" : String.format(Locale.ROOT, " (%.0f%%)", 100.0 * part / whole);
    }

    private static String seconds(final Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static String millis(final Duration duration) {
        return String.format(Locale.ROOT, "%,d ms", duration.toMillis());
    }
}
