package dev.budgetmeter.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.budgetmeter.cycles.CyclesJson;
import dev.budgetmeter.cycles.CyclesResponse;
import dev.budgetmeter.cycles.RetryLoop;
import dev.budgetmeter.schemas.AuthorityBalance;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.CommandKind;
import dev.budgetmeter.schemas.CommandOutcome;
import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Release;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds a command's {@link CommandResult} from the last answer the authority gave it. */
final class ResultFactory {

    private ResultFactory() {
    }

    /**
     * The result of a command whose last attempt ended it.
     *
     * @param attempts requests sent for it by this process
     * @param now      when the answer was final
     */
    static CommandResult of(final BudgetCommand command, final CommandOutcome outcome, final RetryLoop.Attempt last,
                            final int attempts, final long now) {
        final CommandResult.Builder result = base(command, outcome, attempts, now);
        if (last.answered()) {
            final CyclesResponse response = last.response();
            result.setHttpStatus(response.status()).setErrorCode(response.errorCode().orElse(null))
                    .setMessage(response.message().orElse(null));
            fromBody(result, response.body());
        } else {
            result.setErrorCode("NO_ANSWER").setMessage(limit(last.failure().getMessage()));
        }
        return result.build();
    }

    /** The result of a command the relay did not send, and why. */
    static CommandResult notSent(final BudgetCommand command, final String reason, final String message,
                                 final long now) {
        return base(command, CommandOutcome.DEAD_LETTERED, 0, now).setHttpStatus(0).setErrorCode(reason)
                .setMessage(limit(message)).build();
    }

    static CommandKind kind(final BudgetCommand command) {
        final Object body = command.getBody();
        if (body instanceof Extend) {
            return CommandKind.EXTEND;
        }
        if (body instanceof Commit) {
            return CommandKind.COMMIT;
        }
        return body instanceof Release ? CommandKind.RELEASE : CommandKind.DEBIT;
    }

    private static CommandResult.Builder base(final BudgetCommand command, final CommandOutcome outcome,
                                              final int attempts, final long now) {
        return CommandResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setReservationId(command.getReservationId())
                .setIdempotencyKey(command.getIdempotencyKey())
                .setKind(kind(command))
                .setOutcome(outcome)
                .setExtendN(command.getBody() instanceof Extend extend ? extend.getN() : null)
                .setAttempts(attempts)
                .setIssuedAt(command.getIssuedAt())
                .setAnsweredAt(Instant.ofEpochMilli(now));
    }

    private static void fromBody(final CommandResult.Builder result, final JsonNode body) {
        CyclesJson.readAmount(body.path("charged")).ifPresent(result::setCharged);
        CyclesJson.readAmount(body.path("released")).ifPresent(result::setReleased);
        if (body.path("expires_at_ms").isIntegralNumber()) {
            result.setExpiresAtMs(body.path("expires_at_ms").asLong());
        }
        if (body.path("event_id").isTextual()) {
            result.setEventId(body.path("event_id").asText());
        }
        final List<AuthorityBalance> balances = new ArrayList<>();
        for (final JsonNode balance : body.path("balances")) {
            CyclesJson.readAmount(balance.path("remaining")).ifPresent(remaining -> balances.add(
                    AuthorityBalance.newBuilder()
                            .setScope(balance.path("scope").asText())
                            .setUnit(remaining.getUnit())
                            .setRemaining(remaining.getAmount())
                            .setReserved(optional(balance.path("reserved")))
                            .setSpent(optional(balance.path("spent")))
                            .setAllocated(optional(balance.path("allocated")))
                            .setDebt(optional(balance.path("debt")))
                            .setIsOverLimit(balance.path("is_over_limit").asBoolean(false))
                            .build()));
        }
        result.setBalances(balances);
    }

    private static Long optional(final JsonNode amount) {
        return amount.path("amount").isIntegralNumber() ? amount.path("amount").asLong() : null;
    }

    private static String limit(final String message) {
        return message == null || message.length() <= 1024 ? message : message.substring(0, 1024);
    }
}
