package dev.budgetmeter.cli.demo;

import dev.budgetmeter.cli.audit.LedgerSnapshot;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.DeadLetter;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.Settlement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The numbers of a run's summary, counted from what the output topics hold (read_committed), for the reservations
 * in scope. Immutable.
 *
 * @param commitsBySettlement Commit commands by settlement
 * @param releasesByReason    Release commands by reason
 * @param extendsIssued       Extend commands
 * @param debits              Debit commands
 * @param deadLetters         dead letters by reason (all of them: a dead letter may have no reservation id)
 * @param estimated           sum of the estimates held: every Reserve's, less those the budget authority refused
 * @param committed           sum of the Commits' actual amounts
 * @param debited             sum of the Debits' actual amounts
 * @param released            sum of the estimates returned whole by Releases
 * @param overages            Commits above their estimate whose audit record carries the overage
 * @param lapses              holds that lapsed before they could be settled (no Commit or Release; usage debited)
 */
public record RunTotals(Map<String, Long> commitsBySettlement, Map<String, Long> releasesByReason,
                        long extendsIssued, long debits, Map<String, Long> deadLetters, long estimated,
                        long committed, long debited, long released, long overages, long lapses) {

    /** Keeps each map's iteration order (the order the summary lists them in). */
    public RunTotals {
        commitsBySettlement = Collections.unmodifiableMap(new LinkedHashMap<>(commitsBySettlement));
        releasesByReason = Collections.unmodifiableMap(new LinkedHashMap<>(releasesByReason));
        deadLetters = Collections.unmodifiableMap(new LinkedHashMap<>(deadLetters));
    }

    /** Counts the snapshot's records of the reservations {@code inScope} accepts. */
    public static RunTotals of(final LedgerSnapshot snapshot, final Predicate<String> inScope) {
        final Map<String, Long> commits = new LinkedHashMap<>();
        for (final Settlement settlement : Settlement.values()) {
            commits.put(settlement.name(), 0L);
        }
        final Map<String, Long> releases = new TreeMap<>();
        long extendsIssued = 0;
        long debits = 0;
        long committed = 0;
        long debited = 0;
        long released = 0;
        for (final BudgetCommand command : snapshot.commands()) {
            if (!inScope.test(command.getReservationId())) {
                continue;
            }
            final Object body = command.getBody();
            if (body instanceof Commit commit) {
                commits.merge(commit.getSettlement().name(), 1L, Long::sum);
                committed += commit.getActual().getAmount();
            } else if (body instanceof Release release) {
                releases.merge(release.getReason(), 1L, Long::sum);
                released += release.getReleased().getAmount();
            } else if (body instanceof Extend) {
                extendsIssued++;
            } else if (body instanceof Debit debit) {
                debits++;
                debited += debit.getActual().getAmount();
            }
        }
        long estimated = 0;
        long overages = 0;
        long lapses = 0;
        for (final AuditRecord audit : snapshot.audits()) {
            if (!inScope.test(audit.getReservationId())) {
                continue;
            }
            if (audit.getKind() == AuditKind.RESERVED && audit.getSnapshot() != null) {
                estimated += audit.getSnapshot().getEstimate().getAmount();
            } else if (audit.getKind() == AuditKind.RESERVE_REFUSED && audit.getSnapshot() != null) {
                // The budget authority held nothing for it.
                estimated -= audit.getSnapshot().getEstimate().getAmount();
            } else if (audit.getKind() == AuditKind.COMMITTED && audit.getOverage() != null) {
                overages++;
            } else if (audit.getKind() == AuditKind.HOLD_LAPSED) {
                lapses++;
            }
        }
        final Map<String, Long> deadLetters = new TreeMap<>();
        for (final DeadLetter letter : snapshot.deadLetters()) {
            deadLetters.merge(letter.getReason().name(), 1L, Long::sum);
        }
        return new RunTotals(commits, byCountDescending(releases), extendsIssued, debits, deadLetters, estimated, committed, debited,
                released, overages, lapses);
    }

    private static Map<String, Long> byCountDescending(final Map<String, Long> counts) {
        final Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    public long commits() {
        return commitsBySettlement.values().stream().mapToLong(Long::longValue).sum();
    }

    public long releases() {
        return releasesByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public long deadLetterCount() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }
}
