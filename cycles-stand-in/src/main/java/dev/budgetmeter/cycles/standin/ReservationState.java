package dev.budgetmeter.cycles.standin;

/** The protocol's reservation statuses: ACTIVE, then exactly one of the three terminal ones. */
public enum ReservationState {
    ACTIVE, COMMITTED, RELEASED, EXPIRED
}
