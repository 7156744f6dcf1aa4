package dev.budgetmeter.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.budgetmeter.cycles.CyclesJson;
import dev.budgetmeter.cycles.CyclesOperation;
import dev.budgetmeter.cycles.CyclesRequest;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Release;

/**
 * The request each command becomes, built from the command alone, so that the same command read again (a redelivery,
 * a restarted relay) gives byte for byte the same request under the same key: the server then replays its stored
 * answer instead of applying it twice, and never sees another body under the key (IDEMPOTENCY_MISMATCH).
 */
final class CommandRequests {

    /** Metadata of a commit recorded as an event, as Cycles' own clients write it. */
    static final String RECOVERED_RESERVATION_ID = "recovered_reservation_id";
    static final String RECOVERY_REASON = "recovery_reason";
    static final String COMMIT_AFTER_EXPIRY = "commit_after_reservation_expired";

    private CommandRequests() {
    }

    /** The request of a command: extend, commit or release of its reservation, or a debit as an event. */
    static CyclesRequest of(final BudgetCommand command) {
        final Object body = command.getBody();
        if (body instanceof Extend extend) {
            return request(command, CyclesOperation.EXTEND, CyclesJson.body(command.getIdempotencyKey())
                    .put("extend_by_ms", extend.getExtendByMs()));
        }
        if (body instanceof Commit commit) {
            final ObjectNode json = CyclesJson.body(command.getIdempotencyKey());
            json.set("actual", CyclesJson.amount(commit.getActual()));
            json.set("metrics", CyclesJson.metrics(commit.getMetrics()));
            return request(command, CyclesOperation.COMMIT, json);
        }
        if (body instanceof Release release) {
            return request(command, CyclesOperation.RELEASE, CyclesJson.body(command.getIdempotencyKey())
                    .put("reason", release.getReason()));
        }
        final Debit debit = (Debit) body;
        final ObjectNode json = event(command, debit.getActual(), debit.getMetrics());
        json.putObject("metadata").put("reservation_id", command.getReservationId()).put("reason", debit.getReason());
        return request(command, CyclesOperation.EVENT, json);
    }

    /**
     * The event that records a commit refused 410 (past {@code expires_at + grace}): the commit's actual and metrics
     * under the commit's own key (the server scopes keys per endpoint), so the spend is charged once and never lost.
     */
    static CyclesRequest recoveryEvent(final BudgetCommand command) {
        final Commit commit = (Commit) command.getBody();
        final ObjectNode json = event(command, commit.getActual(), commit.getMetrics());
        json.putObject("metadata").put(RECOVERED_RESERVATION_ID, command.getReservationId())
                .put(RECOVERY_REASON, COMMIT_AFTER_EXPIRY);
        return request(command, CyclesOperation.EVENT, json);
    }

    private static ObjectNode event(final BudgetCommand command, final dev.budgetmeter.schemas.Amount actual,
                                    final dev.budgetmeter.schemas.Metrics metrics) {
        final ObjectNode json = CyclesJson.body(command.getIdempotencyKey());
        json.set("subject", CyclesJson.subject(command.getSubject()));
        json.set("action", CyclesJson.action(command.getAction()));
        json.set("actual", CyclesJson.amount(actual));
        json.set("metrics", CyclesJson.metrics(metrics));
        return json;
    }

    private static CyclesRequest request(final BudgetCommand command, final CyclesOperation operation,
                                         final ObjectNode body) {
        return new CyclesRequest(operation, command.getReservationId(), command.getSubject().getTenant(),
                command.getIdempotencyKey(), body);
    }
}
