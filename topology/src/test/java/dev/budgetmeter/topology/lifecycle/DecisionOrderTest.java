package dev.budgetmeter.topology.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.budgetmeter.schemas.BudgetCommand;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.schemas.DecisionKind;
import dev.budgetmeter.schemas.Outcome;
import dev.budgetmeter.schemas.ReservationSnapshot;
import dev.budgetmeter.schemas.StreamEvent;
import dev.budgetmeter.topology.Events;
import dev.budgetmeter.topology.MeteringConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the budget ledger, the decision comes back on a topic of its own, so a task may read a stream's End before
 * or after it, as the broker's timing gives: a live run and a replay of the same input read them in different
 * orders. Either way the reservation settles with the same commands, caused by the End.
 */
class DecisionOrderTest {

    private static final long T0 = 1_700_000_000_000L;

    private final Lifecycle lifecycle = new Lifecycle(new MeteringConfig(Map.of(
            MeteringConfig.AUTHORITY_CONFIG, "LEDGER")).policy());

    @Test
    void an_end_read_before_the_decision_settles_as_when_the_decision_came_first() {
        final List<BudgetCommand> decisionFirst = run(true);
        final List<BudgetCommand> endFirst = run(false);

        assertThat(decisionFirst).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:commit");
        assertThat(endFirst).extracting(BudgetCommand::getIdempotencyKey).containsExactly("r1:commit");
        assertThat(endFirst.get(0).getCauseEventId()).as("the End's event id")
                .isEqualTo(decisionFirst.get(0).getCauseEventId()).isEqualTo(end().getEventId());
        assertThat(endFirst.get(0).getBody()).isEqualTo(decisionFirst.get(0).getBody());
    }

    private List<BudgetCommand> run(final boolean decisionFirst) {
        final List<BudgetCommand> commands = new ArrayList<>();
        ReservationSnapshot current = lifecycle.onEvent(null, Events.reserve("r1", T0), "0-0", T0).snapshot();
        if (decisionFirst) {
            current = lifecycle.onDecision(current, allow(current), T0 + 10).snapshot();
        }
        current = lifecycle.onEvent(current, Events.chunk("r1", 1, T0 + 20, 3), "0-1", T0 + 20).snapshot();
        final var ended = lifecycle.onEvent(current, end(), "0-2", T0 + 30);
        commands.addAll(ended.commands());
        current = ended.snapshot();
        if (!decisionFirst) {
            commands.addAll(lifecycle.onDecision(current, allow(current), T0 + 40).commands());
        }
        return commands;
    }

    private static StreamEvent end() {
        return Events.end("r1", 2, T0 + 30, Outcome.COMPLETED, null);
    }

    private static Decision allow(final ReservationSnapshot reservation) {
        return Decision.newBuilder().setReservationId("r1").setReserveEventId(reservation.getReserveEventId())
                .setDecision(DecisionKind.ALLOW).setAffectedScopes(List.of("tenant:acme")).setBalances(List.of())
                .setExpiresAtMs(T0 + Events.TTL_MS).setDecidedAt(Instant.ofEpochMilli(T0)).build();
    }
}
