package dev.budgetmeter.cycles.standin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One reservation of the stand-in's ledger; mutated only under the ledger's lock. */
final class StandInReservation {

    final String id;
    final String tenant;
    final JsonNode subject;
    final JsonNode action;
    final List<Budget> budgets;
    final String unit;
    final long estimate;
    final String overagePolicy;
    final long gracePeriodMs;
    long expiresAtMs;
    int extensions;
    ReservationState state = ReservationState.ACTIVE;
    long charged;
    /** How many times the ledger finalized it (committed, released or expired): exactly once, or a bug. */
    int finalizations;

    StandInReservation(final String id, final String tenant, final JsonNode subject, final JsonNode action,
                       final List<Budget> budgets, final String unit, final long estimate, final String overagePolicy,
                       final long gracePeriodMs, final long expiresAtMs) {
        this.id = id;
        this.tenant = tenant;
        this.subject = subject;
        this.action = action;
        this.budgets = budgets;
        this.unit = unit;
        this.estimate = estimate;
        this.overagePolicy = overagePolicy;
        this.gracePeriodMs = gracePeriodMs;
        this.expiresAtMs = expiresAtMs;
    }

    ReservationView view() {
        return new ReservationView(id, tenant, state, unit, estimate, charged, extensions, expiresAtMs, finalizations);
    }
}
