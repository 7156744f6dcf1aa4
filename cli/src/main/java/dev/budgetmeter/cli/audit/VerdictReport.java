package dev.budgetmeter.cli.audit;

import java.util.ArrayList;
import java.util.List;

/** Renders a {@link Verdict} for the console: the counts, then the findings (the first ones when there are many). */
public final class VerdictReport {

    private VerdictReport() {
    }

    /** The lines of a verdict, listing at most {@code maxFindings} findings. */
    public static List<String> lines(final Verdict verdict, final int maxFindings) {
        final List<String> lines = new ArrayList<>();
        lines.add("oracle: " + Numbers.number(verdict.reservations()) + " reservations, "
                + Numbers.number(verdict.settled()) + " settled, " + Numbers.number(verdict.open())
                + " open: " + (verdict.passed() ? "PASSED, every invariant holds"
                : "FAILED, " + Numbers.number(verdict.findings().size()) + " findings"));
        verdict.findings().stream().limit(maxFindings).forEach(finding -> lines.add("  " + finding));
        if (verdict.findings().size() > maxFindings) {
            lines.add("  ... and " + (verdict.findings().size() - maxFindings) + " more");
        }
        return lines;
    }
}
