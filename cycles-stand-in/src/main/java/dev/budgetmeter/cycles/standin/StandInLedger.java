package dev.budgetmeter.cycles.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stand-in's budgets, reservations and events, with the protocol's arithmetic: reserve holds the estimate on
 * every budgeted scope of the subject's path (checks in the protocol's order), commit charges the actual and returns
 * the rest (overage by policy), release and expiry return the hold, events charge directly. Commit and release are
 * accepted until {@code expires_at + grace}, extend until {@code expires_at}; a finished reservation answers 409
 * RESERVATION_FINALIZED, an expired one 410. Not thread-safe: the server calls it under one lock.
 */
final class StandInLedger {

    static final int MAX_EXTENSIONS = 10;
    private static final String[] LEVELS = {"tenant", "workspace", "app", "workflow", "agent", "toolset"};
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, Budget> budgets = new LinkedHashMap<>();
    private final Map<String, StandInReservation> reservations = new LinkedHashMap<>();
    private final List<EventView> events = new ArrayList<>();
    private long nextId = 1;

    Budget budget(final String scope, final String unit) {
        return budgets.computeIfAbsent(scope + "|" + unit, key -> new Budget(scope, unit));
    }

    Answer reserve(final String tenant, final JsonNode request, final long now) {
        final Optional<Answer> invalid = require(request, "subject", "action", "estimate");
        if (invalid.isPresent()) {
            return invalid.get();
        }
        final String unit = request.path("estimate").path("unit").asText();
        final long estimate = request.path("estimate").path("amount").asLong(-1);
        final long ttl = request.path("ttl_ms").asLong(60_000);
        final long grace = request.path("grace_period_ms").asLong(5_000);
        if (estimate < 0 || ttl < 1_000 || ttl > 86_400_000 || grace < 0 || grace > 60_000) {
            return Answer.error(400, "INVALID_REQUEST", "estimate, ttl_ms or grace_period_ms out of range");
        }
        final Optional<Answer> tenantProblem = checkTenant(tenant, request.path("subject"));
        if (tenantProblem.isPresent()) {
            return tenantProblem.get();
        }
        final List<String> scopes = scopes(request.path("subject"));
        final List<Budget> held = budgeted(scopes, unit);
        if (held.isEmpty()) {
            return noBudget(scopes, unit);
        }
        for (final Budget budget : held) {
            final Optional<Answer> refused = reserveCheck(budget, estimate);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        held.forEach(budget -> budget.reserved += estimate);
        final String id = "rsv_" + (nextId++);
        final StandInReservation reservation = new StandInReservation(id, tenant, request.path("subject"),
                request.path("action"), held, unit, estimate,
                request.path("overage_policy").asText("ALLOW_IF_AVAILABLE"), grace, now + ttl);
        reservations.put(id, reservation);
        final ObjectNode body = NODES.objectNode();
        final Long maxTokens = held.stream().map(b -> b.capMaxTokens).filter(cap -> cap != null)
                .min(Long::compare).orElse(null);
        body.put("decision", maxTokens == null ? "ALLOW" : "ALLOW_WITH_CAPS").put("reservation_id", id);
        body.putObject("reserved").put("unit", unit).put("amount", estimate);
        body.put("expires_at_ms", reservation.expiresAtMs).put("remaining_ttl_ms", ttl);
        body.put("scope_path", scopes.get(scopes.size() - 1));
        final ArrayNode affected = body.putArray("affected_scopes");
        held.forEach(budget -> affected.add(budget.scope));
        if (maxTokens != null) {
            body.putObject("caps").put("max_tokens", maxTokens);
        }
        body.set("balances", balances(held));
        return new Answer(200, body);
    }

    Answer extend(final String tenant, final String id, final JsonNode request, final long now) {
        final long extendBy = request.path("extend_by_ms").asLong(-1);
        if (extendBy < 1 || extendBy > 86_400_000) {
            return Answer.error(400, "INVALID_REQUEST", "extend_by_ms must be 1-86400000");
        }
        final StandInReservation reservation = reservations.get(id);
        final Optional<Answer> problem = mutable(reservation, tenant, id, now, false);
        if (problem.isPresent()) {
            return problem.get();
        }
        if (reservation.extensions >= MAX_EXTENSIONS) {
            return Answer.error(409, "MAX_EXTENSIONS_EXCEEDED", "reservation " + id + " was extended "
                    + MAX_EXTENSIONS + " times");
        }
        reservation.extensions++;
        reservation.expiresAtMs += extendBy;
        return new Answer(200, NODES.objectNode().put("status", "ACTIVE")
                .put("expires_at_ms", reservation.expiresAtMs)
                .put("remaining_ttl_ms", Math.max(0, reservation.expiresAtMs - now)));
    }

    Answer commit(final String tenant, final String id, final JsonNode request, final long now) {
        final Optional<Answer> invalid = require(request, "actual");
        if (invalid.isPresent()) {
            return invalid.get();
        }
        final StandInReservation reservation = reservations.get(id);
        final Optional<Answer> problem = mutable(reservation, tenant, id, now, true);
        if (problem.isPresent()) {
            return problem.get();
        }
        if (!reservation.unit.equals(request.path("actual").path("unit").asText())) {
            return Answer.error(400, "UNIT_MISMATCH", "actual is not in the reservation's unit " + reservation.unit);
        }
        final long actual = request.path("actual").path("amount").asLong(-1);
        if (actual < 0) {
            return Answer.error(400, "INVALID_REQUEST", "actual.amount must be >= 0");
        }
        final long delta = actual - reservation.estimate;
        final long charged;
        if (delta <= 0) {
            charged = actual;
            reservation.budgets.forEach(budget -> {
                budget.reserved -= reservation.estimate;
                budget.spent += actual;
            });
        } else {
            final Optional<Long> overage = chargeOverage(reservation, delta);
            if (overage.isEmpty()) {
                return Answer.error(409, "REJECT".equals(reservation.overagePolicy) ? "BUDGET_EXCEEDED"
                        : "OVERDRAFT_LIMIT_EXCEEDED", "the actual is " + delta + " above the estimate");
            }
            charged = reservation.estimate + overage.get();
        }
        finish(reservation, ReservationState.COMMITTED);
        reservation.charged = charged;
        final ObjectNode body = NODES.objectNode().put("status", "COMMITTED");
        body.putObject("charged").put("unit", reservation.unit).put("amount", charged);
        body.putObject("released").put("unit", reservation.unit).put("amount", Math.max(0, -delta));
        body.set("balances", balances(reservation.budgets));
        return new Answer(200, body);
    }

    Answer release(final String tenant, final String id, final long now) {
        final StandInReservation reservation = reservations.get(id);
        final Optional<Answer> problem = mutable(reservation, tenant, id, now, true);
        if (problem.isPresent()) {
            return problem.get();
        }
        reservation.budgets.forEach(budget -> budget.reserved -= reservation.estimate);
        finish(reservation, ReservationState.RELEASED);
        final ObjectNode body = NODES.objectNode().put("status", "RELEASED");
        body.putObject("released").put("unit", reservation.unit).put("amount", reservation.estimate);
        body.set("balances", balances(reservation.budgets));
        return new Answer(200, body);
    }

    Answer event(final String tenant, final String key, final JsonNode request) {
        final Optional<Answer> invalid = require(request, "subject", "action", "actual");
        if (invalid.isPresent()) {
            return invalid.get();
        }
        final Optional<Answer> tenantProblem = checkTenant(tenant, request.path("subject"));
        if (tenantProblem.isPresent()) {
            return tenantProblem.get();
        }
        final String unit = request.path("actual").path("unit").asText();
        final long actual = request.path("actual").path("amount").asLong(-1);
        if (actual < 0) {
            return Answer.error(400, "INVALID_REQUEST", "actual.amount must be >= 0");
        }
        final List<String> scopes = scopes(request.path("subject"));
        final List<Budget> charged = budgeted(scopes, unit);
        if (charged.isEmpty()) {
            return noBudget(scopes, unit);
        }
        final long available = charged.stream().mapToLong(budget -> Math.max(0, budget.remaining())).min().orElse(0);
        final long amount = Math.min(actual, available);
        charged.forEach(budget -> {
            budget.spent += amount;
            budget.overLimit |= amount < actual;
        });
        final String eventId = "evt_" + (nextId++);
        final Map<String, String> metadata = new LinkedHashMap<>();
        request.path("metadata").fields().forEachRemaining(entry -> metadata.put(entry.getKey(),
                entry.getValue().asText()));
        events.add(new EventView(eventId, key, tenant, actual, amount, Map.copyOf(metadata)));
        final ObjectNode body = NODES.objectNode().put("status", "APPLIED").put("event_id", eventId);
        body.putObject("charged").put("unit", unit).put("amount", amount);
        body.set("balances", balances(charged));
        return new Answer(201, body);
    }

    /** Returns the holds of reservations past {@code expires_at + grace}, as the server's sweeper does. */
    void sweep(final long now) {
        for (final StandInReservation reservation : reservations.values()) {
            if (reservation.state == ReservationState.ACTIVE
                    && now > reservation.expiresAtMs + reservation.gracePeriodMs) {
                expire(reservation);
            }
        }
    }

    /** An operator's force-release under the admin key: the reservation ends RELEASED outside the pipeline. */
    boolean forceRelease(final String id) {
        final StandInReservation reservation = reservations.get(id);
        if (reservation == null || reservation.state != ReservationState.ACTIVE) {
            return false;
        }
        reservation.budgets.forEach(budget -> budget.reserved -= reservation.estimate);
        finish(reservation, ReservationState.RELEASED);
        return true;
    }

    /** Moves a reservation's expiry into the past and sweeps it, as if its ttl and grace had run out. */
    boolean forceExpire(final String id, final long now) {
        final StandInReservation reservation = reservations.get(id);
        if (reservation == null || reservation.state != ReservationState.ACTIVE) {
            return false;
        }
        reservation.expiresAtMs = now - reservation.gracePeriodMs - 1;
        expire(reservation);
        return true;
    }

    Optional<ReservationView> reservation(final String id) {
        return Optional.ofNullable(reservations.get(id)).map(StandInReservation::view);
    }

    List<ReservationView> reservations() {
        return reservations.values().stream().map(StandInReservation::view).toList();
    }

    List<EventView> events() {
        return List.copyOf(events);
    }

    /** Every budget keeps remaining = allocated - spent - reserved - debt, reserved never negative. */
    List<String> brokenInvariants() {
        final List<String> broken = new ArrayList<>();
        for (final Budget budget : budgets.values()) {
            if (budget.reserved < 0 || budget.spent < 0) {
                broken.add(budget.scope + " " + budget.unit + ": reserved " + budget.reserved + ", spent "
                        + budget.spent);
            }
        }
        final long held = reservations.values().stream().filter(r -> r.state == ReservationState.ACTIVE).count();
        if (held == 0 && budgets.values().stream().anyMatch(budget -> budget.reserved != 0)) {
            broken.add("no reservation is active but some budget still has a reserved amount");
        }
        return broken;
    }

    private Optional<Answer> reserveCheck(final Budget budget, final long estimate) {
        if ("FROZEN".equals(budget.status)) {
            return Optional.of(Answer.refusal(409, "BUDGET_FROZEN", "budget frozen", budget.scope));
        }
        if ("CLOSED".equals(budget.status)) {
            return Optional.of(Answer.refusal(409, "BUDGET_CLOSED", "budget closed", budget.scope));
        }
        if (budget.overLimit) {
            return Optional.of(Answer.refusal(409, "OVERDRAFT_LIMIT_EXCEEDED", "scope over limit", budget.scope));
        }
        if (budget.debt > 0 && budget.overdraftLimit == 0) {
            return Optional.of(Answer.refusal(409, "DEBT_OUTSTANDING", "debt outstanding", budget.scope));
        }
        if (budget.remaining() < estimate) {
            return Optional.of(Answer.refusal(409, "BUDGET_EXCEEDED", "insufficient remaining budget for scope "
                    + budget.scope, budget.scope));
        }
        return Optional.empty();
    }

    /**
     * Charges the part above the estimate by the reservation's policy and releases the hold; empty when the policy
     * refuses it (nothing changed).
     */
    private Optional<Long> chargeOverage(final StandInReservation reservation, final long delta) {
        final long available = reservation.budgets.stream().mapToLong(budget -> Math.max(0, budget.remaining()))
                .min().orElse(0);
        switch (reservation.overagePolicy) {
            case "REJECT" -> {
                if (available < delta) {
                    return Optional.empty();
                }
            }
            case "ALLOW_WITH_OVERDRAFT" -> {
                final boolean fits = reservation.budgets.stream().allMatch(budget ->
                        budget.debt + Math.max(0, delta - Math.max(0, budget.remaining())) <= budget.overdraftLimit);
                if (!fits) {
                    return Optional.empty();
                }
                reservation.budgets.forEach(budget -> {
                    final long covered = Math.min(delta, Math.max(0, budget.remaining()));
                    budget.reserved -= reservation.estimate;
                    budget.spent += reservation.estimate + covered;
                    budget.debt += delta - covered;
                });
                return Optional.of(delta);
            }
            default -> { }
        }
        final long overage = Math.min(delta, available);
        reservation.budgets.forEach(budget -> {
            budget.reserved -= reservation.estimate;
            budget.spent += reservation.estimate + overage;
            budget.overLimit |= overage < delta;
        });
        return Optional.of(overage);
    }

    /** The checks before a mutation of an existing reservation; {@code withGrace} for commit and release. */
    private static Optional<Answer> mutable(final StandInReservation reservation, final String tenant,
                                            final String id, final long now, final boolean withGrace) {
        if (reservation == null) {
            return Optional.of(Answer.error(404, "NOT_FOUND", "reservation " + id + " not found"));
        }
        if (!reservation.tenant.equals(tenant)) {
            return Optional.of(Answer.error(403, "FORBIDDEN", "reservation " + id + " belongs to another tenant"));
        }
        if (reservation.state == ReservationState.COMMITTED || reservation.state == ReservationState.RELEASED) {
            return Optional.of(Answer.error(409, "RESERVATION_FINALIZED", "reservation " + id + " is "
                    + reservation.state));
        }
        final long deadline = reservation.expiresAtMs + (withGrace ? reservation.gracePeriodMs : 0);
        if (reservation.state == ReservationState.EXPIRED || now > deadline) {
            return Optional.of(Answer.error(410, "RESERVATION_EXPIRED", "reservation " + id + " expired at "
                    + reservation.expiresAtMs));
        }
        return Optional.empty();
    }

    private static void expire(final StandInReservation reservation) {
        reservation.budgets.forEach(budget -> budget.reserved -= reservation.estimate);
        finish(reservation, ReservationState.EXPIRED);
    }

    private static void finish(final StandInReservation reservation, final ReservationState state) {
        reservation.state = state;
        reservation.finalizations++;
    }

    private Answer noBudget(final List<String> scopes, final String unit) {
        final boolean otherUnit = budgets.values().stream()
                .anyMatch(budget -> scopes.contains(budget.scope) && !budget.unit.equals(unit));
        return otherUnit ? Answer.error(400, "UNIT_MISMATCH", "no budget in " + unit + " for " + scopes)
                : Answer.error(404, "NOT_FOUND", "Budget not found for provided scope: " + scopes);
    }

    private List<Budget> budgeted(final List<String> scopes, final String unit) {
        final List<Budget> found = new ArrayList<>();
        for (final String scope : scopes) {
            final Budget budget = budgets.get(scope + "|" + unit);
            if (budget != null) {
                found.add(budget);
            }
        }
        return found;
    }

    /** The cumulative paths of the levels given, gaps skipped. */
    static List<String> scopes(final JsonNode subject) {
        final List<String> scopes = new ArrayList<>();
        final StringBuilder path = new StringBuilder();
        for (final String level : LEVELS) {
            if (subject.path(level).isTextual()) {
                path.append(path.length() == 0 ? "" : "/").append(level).append(':').append(subject.path(level)
                        .asText());
                scopes.add(path.toString());
            }
        }
        return scopes;
    }

    private static Optional<Answer> checkTenant(final String tenant, final JsonNode subject) {
        return tenant.equals(subject.path("tenant").asText()) ? Optional.empty()
                : Optional.of(Answer.error(403, "FORBIDDEN", "subject.tenant is not the API key's tenant"));
    }

    private static Optional<Answer> require(final JsonNode request, final String... fields) {
        for (final String field : fields) {
            if (!request.path(field).isObject()) {
                return Optional.of(Answer.error(400, "INVALID_REQUEST", field + " is required"));
            }
        }
        return Optional.empty();
    }

    private static ArrayNode balances(final List<Budget> budgets) {
        final ArrayNode array = NODES.arrayNode();
        budgets.forEach(budget -> array.add(budget.toJson()));
        return array;
    }
}
