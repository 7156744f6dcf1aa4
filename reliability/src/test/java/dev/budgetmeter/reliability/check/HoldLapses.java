package dev.budgetmeter.reliability.check;

import dev.budgetmeter.cli.audit.ReservationTrail;
import dev.budgetmeter.reliability.support.ScenarioDeployment;
import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.AuditRecord;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.HoldLapse;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import dev.budgetmeter.schemas.SettlementCause;
import java.util.ArrayList;
import java.util.List;

/**
 * What the topics must show of a hold that lapsed: the topology could not settle it before {@code expires_at + grace}
 * (the application was down or lagging), so the authority returned the hold and refuses a Commit or Release from then
 * on (410). Then there is no Commit and no Release; exactly one HOLD_LAPSED audit record, whose snapshot is RELEASED
 * with its lapse (the deadline {@code expires_at + grace_period}, found at or after it) and cause HOLD_LAPSED; and
 * the usage is charged by Debits with reason {@code hold_lapsed}, none before the lapse was recorded, coalesced: at
 * most one per punctuation interval, plus one at the stream's End. That the Debits add up to the usage is checked
 * with the rest of the money ({@link TokenConservation}, the oracle).
 */
public final class HoldLapses {

    /** The reason of every Debit of a lapsed hold. */
    public static final String DEBIT_REASON = "hold_lapsed";

    private HoldLapses() {
    }

    /** Whether the topology audited the hold as lapsed. */
    public static boolean lapsed(final ReservationTrail trail) {
        return !trail.audits(AuditKind.HOLD_LAPSED).isEmpty();
    }

    /**
     * One line per way a lapsed hold's trail differs from the above; none when it does not. Debits are coalesced per
     * punctuation interval of the scenarios' application ({@link ScenarioDeployment#PUNCTUATION_INTERVAL_MS}).
     */
    public static List<String> problems(final ReservationTrail trail) {
        final long punctuationIntervalMs = ScenarioDeployment.PUNCTUATION_INTERVAL_MS;
        final String id = trail.reservationId();
        final List<String> problems = new ArrayList<>();
        final List<AuditRecord> lapses = trail.audits(AuditKind.HOLD_LAPSED);
        if (lapses.size() != 1) {
            problems.add(id + ": " + lapses.size() + " HOLD_LAPSED audit records, expected exactly one");
        }
        if (!trail.terminals().isEmpty()) {
            problems.add(id + ": the hold lapsed, yet the commands topic has " + trail.terminals().stream()
                    .map(BudgetCommand::getIdempotencyKey).toList() + ": the authority refuses them (410)");
        }
        final ReservationSnapshot lapsed = lapses.get(0).getSnapshot();
        final HoldLapse lapse = lapsed == null ? null : lapsed.getLapse();
        if (lapse == null) {
            problems.add(id + ": the HOLD_LAPSED record's snapshot has no lapse: " + lapsed);
            return problems;
        }
        final long deadline = lapsed.getExpiresAtMs() + lapsed.getGracePeriodMs();
        if (lapsed.getStatus() != ReservationStatus.RELEASED
                || lapsed.getSettlementCause() != SettlementCause.HOLD_LAPSED
                || lapse.getDeadlineMs() != deadline || lapse.getDetectedAtMs() < deadline) {
            problems.add(id + ": the HOLD_LAPSED snapshot must be RELEASED, cause HOLD_LAPSED, deadline expires_at +"
                    + " grace = " + deadline + ", detected at or after it; it is " + lapsed.getStatus() + ", cause "
                    + lapsed.getSettlementCause() + ", " + lapse);
        }
        final List<BudgetCommand> debits = trail.debitCommands();
        debits.stream().filter(command -> !DEBIT_REASON.equals(((Debit) command.getBody()).getReason())
                        || command.getIssuedAt().toEpochMilli() < lapse.getDetectedAtMs())
                .forEach(command -> problems.add(id + ": " + command.getIdempotencyKey() + " ("
                        + ((Debit) command.getBody()).getReason() + ") is not a " + DEBIT_REASON
                        + " Debit issued after the lapse was recorded"));
        if (!debits.isEmpty()) {
            final long span = debits.get(debits.size() - 1).getIssuedAt().toEpochMilli()
                    - debits.get(0).getIssuedAt().toEpochMilli();
            if (debits.size() > span / punctuationIntervalMs + 2) {
                problems.add(id + ": " + debits.size() + " Debits over " + span + " ms: more than one per"
                        + " punctuation interval (" + punctuationIntervalMs + " ms) plus one at the End");
            }
        }
        return problems;
    }
}
