package dev.budgetmeter.topology.processing;

import dev.budgetmeter.schemas.CommandResult;
import dev.budgetmeter.schemas.Decision;
import dev.budgetmeter.topology.decode.InboundEvent;

/**
 * What the lifecycle of a task takes in: a valid stream event, the budget ledger's decision on a Reserve, or a Cycles
 * server's answer to a command. Each
 * knows which of the ledger's entry points it goes to, so the lifecycle never asks what it was given.
 */
public sealed interface LifecycleInput {

    /** Applies this input to the task's reservations. */
    void applyTo(ReservationLedger reservations, long now);

    /** A decoded, valid stream event. */
    record Event(InboundEvent event) implements LifecycleInput {
        @Override
        public void applyTo(final ReservationLedger reservations, final long now) {
            reservations.onEvent(event, now);
        }
    }

    /** The budget ledger's decision on a Reserve of this task. */
    record Decided(Decision decision) implements LifecycleInput {
        @Override
        public void applyTo(final ReservationLedger reservations, final long now) {
            reservations.onDecision(decision, now);
        }
    }

    /** A Cycles server's answer to a command of a reservation of this task, as the relay wrote it. */
    record Answered(CommandResult result) implements LifecycleInput {
        @Override
        public void applyTo(final ReservationLedger reservations, final long now) {
            reservations.onResult(result, now);
        }
    }
}
