package dev.budgetmeter.cli.audit;

import java.util.List;

/**
 * The outcome of one {@link LedgerOracle} check. Immutable.
 *
 * @param findings     every broken invariant, grouped by reservation in the order reservations were first seen
 * @param reservations reservations seen in the commands or the audit
 * @param settled      of them, those with a Commit or Release
 * @param open         of them, those whose newest audit record still says ACTIVE and that have no terminal command
 */
public record Verdict(List<Finding> findings, int reservations, int settled, int open) {

    public Verdict {
        findings = List.copyOf(findings);
    }

    /** True when no invariant is broken. */
    public boolean passed() {
        return findings.isEmpty();
    }
}
