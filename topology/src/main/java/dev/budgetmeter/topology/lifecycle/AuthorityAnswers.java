package dev.budgetmeter.topology.lifecycle;

import dev.budgetmeter.schemas.AuditKind;
import dev.budgetmeter.schemas.CommandKind;
import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.ReservationStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * What the lifecycle makes of a Cycles server's answers to its commands ({@code metering.authority=CYCLES}), as pure
 * functions like the rest of it:
 * <ul>
 *   <li>an extend refused for good (410, 404, FINALIZED, MAX_EXTENSIONS_EXCEEDED, TENANT_CLOSED): a live reservation
 *       stops extending and counts as lapsed (no Commit or Release may follow, usage is debited);</li>
 *   <li>an extend applied: the server's {@code expires_at_ms} is authoritative for the latest extend;</li>
 *   <li>a commit recovered as an event, a settlement the server had done elsewhere (or expired), a command refused or
 *       not sent: audited, with the answer.</li>
 * </ul>
 * Each command's answer is applied once: its id is remembered on the reservation ({@code authority_answers}), so a
 * result the relay wrote twice changes nothing the second time.
 */
final class AuthorityAnswers {

    private final Schedule schedule;

    AuthorityAnswers(final Schedule schedule) {
        this.schedule = schedule;
    }

    /** The transition an answer causes, or null when it changes nothing. */
    Transition onResult(final ReservationSnapshot current, final CommandResult result, final long now) {
        if (current == null || current.getAuthorityAnswers().contains(result.getCommandId())) {
            return null;
        }
        final TransitionBuilder step = new TransitionBuilder(current, current.getStatus(), null, now,
                Deadlines.of(current), false);
        final String answer = answer(result);
        switch (result.getOutcome()) {
            case APPLIED -> {
                return correctExpiry(step, result) ? step.finish(schedule.afterCheck(step)) : null;
            }
            case EXTEND_REFUSED -> {
                if (current.getStatus() == ReservationStatus.ACTIVE) {
                    step.auditIntermediate(AuditKind.EXTEND_REFUSED, answer);
                    Settlements.lapseAtAuthority(step, answer);
                } else {
                    step.audit(AuditKind.EXTEND_REFUSED, String.valueOf(result.getExtendN()), result.getCommandId(),
                            answer + ", after the reservation was " + current.getStatus() + ": nothing to stop");
                }
            }
            case RECOVERED_AS_EVENT -> step.audit(AuditKind.COMMIT_RECOVERED_AS_EVENT, null, result.getCommandId(),
                    "the authority refused the commit past expires_at + grace (" + answer + "); the same actual was"
                            + " charged as event " + result.getEventId() + " under the commit's key"
                            + (result.getCharged() == null ? "" : ": " + result.getCharged().getAmount() + " "
                            + result.getCharged().getUnit()));
            case SETTLED_ELSEWHERE, EXPIRED_AT_AUTHORITY -> step.audit(AuditKind.SETTLED_ELSEWHERE,
                    result.getKind().name(), result.getCommandId(), result.getKind() == CommandKind.RELEASE
                            && result.getErrorCode() != null && result.getErrorCode().equals("RESERVATION_EXPIRED")
                            ? "the authority had expired the hold and returned it (" + answer + ")"
                            : "the authority had the reservation finalized under another key (" + answer
                            + "): nothing more is sent for it");
            case DEAD_LETTERED, IDEMPOTENCY_MISMATCH -> step.audit(AuditKind.COMMAND_REFUSED,
                    result.getCommandId().substring(Math.min(result.getCommandId().length(),
                            current.getReservationId().length() + 1)), result.getCommandId(),
                    result.getOutcome() + ": " + answer + "; the command is in the dead-letter topic");
            default -> {
                return null;
            }
        }
        remember(current, result.getCommandId());
        return step.finish(schedule.afterCheck(step));
    }

    /** The latest extend's expiry as the server says; true when it differed from the one the lifecycle had. */
    private static boolean correctExpiry(final TransitionBuilder step, final CommandResult result) {
        final ReservationSnapshot reservation = step.reservation;
        final Long authoritative = result.getExpiresAtMs();
        if (result.getKind() != CommandKind.EXTEND || authoritative == null
                || reservation.getStatus() != ReservationStatus.ACTIVE
                || result.getExtendN() == null || result.getExtendN() != reservation.getExtensions()
                || authoritative == reservation.getExpiresAtMs()) {
            return false;
        }
        step.audit(AuditKind.EXTENDED, result.getExtendN() + ":authority", result.getCommandId(),
                "the authority's expiry after extend " + result.getExtendN() + " is " + authoritative + ", not "
                        + reservation.getExpiresAtMs());
        reservation.setExpiresAtMs(authoritative);
        return true;
    }

    private static void remember(final ReservationSnapshot reservation, final String commandId) {
        final List<String> answers = new ArrayList<>(reservation.getAuthorityAnswers());
        answers.add(commandId);
        reservation.setAuthorityAnswers(answers);
    }

    private static String answer(final CommandResult result) {
        return (result.getHttpStatus() == 0 ? "not sent" : "HTTP " + result.getHttpStatus())
                + (result.getErrorCode() == null ? "" : " " + result.getErrorCode())
                + (result.getMessage() == null ? "" : ": " + result.getMessage());
    }
}
