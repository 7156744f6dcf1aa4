package dev.budgetmeter.relay;

import dev.budgetmeter.schemas.Action;
import dev.budgetmeter.schemas.Amount;
import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Commit;
import dev.budgetmeter.schemas.Debit;
import dev.budgetmeter.schemas.Extend;
import dev.budgetmeter.schemas.Metrics;
import dev.budgetmeter.schemas.Release;
import dev.budgetmeter.schemas.Settlement;
import dev.budgetmeter.schemas.SettlementCause;
import dev.budgetmeter.schemas.Subject;
import dev.budgetmeter.schemas.Unit;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Commands as the topology issues them (same keys, same shapes), for reservations a test opened on the stand-in. */
final class Commands {

    static final String TENANT = "acme";

    private Commands() {
    }

    static Subject subject() {
        return new Subject(TENANT, "prod", null, null, "bot", null, Map.of());
    }

    static Action action() {
        return new Action("llm.completion", "gpt-4o", List.of());
    }

    static Amount microcents(final long amount) {
        return new Amount(Unit.USD_MICROCENTS, amount);
    }

    static BudgetCommand extend(final String reservationId, final int n, final long extendByMs) {
        return command(reservationId + ":extend:" + n, reservationId, new Extend(extendByMs, 0L, n), Instant.now());
    }

    static BudgetCommand commit(final String reservationId, final long actual) {
        return command(reservationId + ":commit", reservationId, new Commit(microcents(actual),
                new Metrics(10L, actual / 1_000, 1_500L, "gpt-4o-2024", Map.of()), Settlement.COMPLETED,
                SettlementCause.COMPLETED), Instant.now());
    }

    static BudgetCommand release(final String reservationId) {
        return command(reservationId + ":release", reservationId, new Release("stream_error", microcents(0),
                SettlementCause.FAILED), Instant.now());
    }

    static BudgetCommand debit(final String reservationId, final int n, final long actual, final Instant issuedAt) {
        return command(reservationId + ":debit:" + n, reservationId, new Debit(microcents(actual),
                new Metrics(0L, actual / 1_000, 0L, null, Map.of()), "usage_after_settlement"), issuedAt);
    }

    static BudgetCommand command(final String key, final String reservationId, final Object body,
                                 final Instant issuedAt) {
        return BudgetCommand.newBuilder().setCommandId(key).setReservationId(reservationId).setIdempotencyKey(key)
                .setIssuedAt(issuedAt).setSubject(subject()).setAction(action()).setBody(body).build();
    }
}
