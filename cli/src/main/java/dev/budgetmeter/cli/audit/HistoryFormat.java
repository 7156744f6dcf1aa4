package dev.budgetmeter.cli.audit;

import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders one reservation's audit records as lines for a person: time, kind, status change, command, detail and the
 * snapshot's key numbers (tokens, billed and released amounts, extends, expiry, how it ended), the events the record
 * accounts for (a seq range and count: usage is audited per interval and per transition, not per chunk), an overage
 * and the fields of the event that were ignored.
 */
public final class HistoryFormat {

    private HistoryFormat() {
    }

    /** One line per audit record, in the order given, after a header naming the reservation and its estimate. */
    public static List<String> lines(final String reservationId, final List<AuditRecord> audits) {
        final List<String> lines = new ArrayList<>();
        if (audits.isEmpty()) {
            lines.add("reservation " + reservationId + ": no audit record");
            return lines;
        }
        final ReservationSnapshot first = audits.stream().map(AuditRecord::getSnapshot)
                .filter(Objects::nonNull).findFirst().orElse(null);
        lines.add("reservation " + reservationId + (first == null ? "" : ": " + first.getSubject().getTenant() + ", "
                + first.getAction().getKind() + "/" + first.getAction().getName() + ", estimate "
                + Numbers.number(first.getEstimate().getAmount()) + " " + first.getEstimate().getUnit()
                + ", ttl " + first.getTtlMs() + " ms") + ", " + audits.size() + " transitions");
        for (final AuditRecord audit : audits) {
            lines.add(line(audit));
        }
        return lines;
    }

    static String line(final AuditRecord audit) {
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %s  %-20s %-9s -> %-9s",
                audit.getAt(), audit.getKind(), audit.getFrom() == null ? "-" : audit.getFrom(),
                audit.getTo() == null ? "-" : audit.getTo()));
        if (audit.getCommandId() != null) {
            line.append("  command ").append(audit.getCommandId());
        }
        if (audit.getDetail() != null) {
            line.append("  (").append(audit.getDetail()).append(')');
        }
        if (audit.getUsage() != null) {
            line.append("  events ").append(audit.getUsage().getEvents()).append(" (seq ")
                    .append(audit.getUsage().getFirstSeq()).append("..").append(audit.getUsage().getLastSeq())
                    .append(')');
        }
        if (audit.getOverage() != null) {
            line.append("  overage ").append(Numbers.number(audit.getOverage().getAmount())).append(' ')
                    .append(audit.getOverage().getPolicy());
        }
        audit.getIgnored().forEach(ignored -> line.append("  ignored ").append(ignored.getField()).append(": ")
                .append(ignored.getReason()));
        if (audit.getSnapshot() != null) {
            line.append("  ").append(numbers(audit.getSnapshot()));
        }
        return line.toString();
    }

    private static String numbers(final ReservationSnapshot snapshot) {
        final Usage reported = snapshot.getReportedUsage();
        final long input = reported != null ? reported.getTokensInput() : snapshot.getChunkTokensInput();
        final long output = reported != null ? reported.getTokensOutput() : snapshot.getChunkTokensOutput();
        return "[tokens in/out " + input + "/" + output
                + (reported != null ? " reported" : "")
                + ", billed " + Numbers.number(snapshot.getBilledAmount())
                + ", released " + Numbers.number(snapshot.getReleasedAmount())
                + ", extends " + snapshot.getExtensions()
                + ", debits " + snapshot.getDebits()
                + ", expires " + Instant.ofEpochMilli(snapshot.getExpiresAtMs())
                + (snapshot.getSettlementCause() == null ? "" : ", ended " + snapshot.getSettlementCause())
                + (snapshot.getLapse() == null ? "" : ", lapsed " + (snapshot.getLapse().getDetectedAtMs()
                - snapshot.getLapse().getDeadlineMs()) + " ms after expiry + grace") + "]";
    }
}
