package dev.budgetmeter.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.budgetmeter.cycles.AnswerKind;
import dev.budgetmeter.cycles.ApiKeys;
import dev.budgetmeter.cycles.Backoff;
import dev.budgetmeter.cycles.CyclesClient;
import dev.budgetmeter.cycles.CyclesJson;
import dev.budgetmeter.cycles.CyclesOperation;
import dev.budgetmeter.cycles.CyclesRequest;
import dev.budgetmeter.cycles.RetryLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decisions of a Cycles server, taken during {@link BudgetMeter#open}: {@code POST /v1/reservations} under the key
 * {@code <reservation>:reserve}, sent again unchanged after no answer, a 5xx, a malformed success or a 429 (after its
 * {@code Retry-After}), all within the decision timeout. ALLOW and ALLOW_WITH_CAPS admit the reservation as the server
 * granted it (its id, {@code expires_at_ms}, caps); a refusal (409 BUDGET_EXCEEDED and the other budget errors, 404
 * for no budget, 400 UNIT_MISMATCH) is a {@link BudgetRefusedException} with the same {@link Decision} the budget
 * ledger would give, and nothing is written. When a granted Reserve cannot be written, the hold is released at once
 * rather than left until it expires.
 */
final class CyclesDecisions implements DecisionSource {

    private static final Logger LOG = LoggerFactory.getLogger(CyclesDecisions.class);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    /** Error codes of a reserve that are the budget's refusal, as the ledger's reason codes. */
    private static final Set<String> REFUSALS = Set.of("BUDGET_EXCEEDED", "BUDGET_FROZEN", "BUDGET_CLOSED",
            "OVERDRAFT_LIMIT_EXCEEDED", "DEBT_OUTSTANDING", "TENANT_CLOSED", "UNIT_MISMATCH");
    private static final String NOT_WRITTEN_REASON = "reserve_event_not_written";

    private final RetryLoop loop;
    private final Duration timeout;

    CyclesDecisions(final CyclesAuthority authority, final Duration timeout) {
        this.loop = new RetryLoop(new CyclesClient(authority.url(), ApiKeys.single(authority.apiKey()),
                authority.connectTimeoutValue(), authority.requestTimeoutValue()), RetryLoop.Sleeper.THREAD);
        this.timeout = timeout;
    }

    @Override
    public Admission admit(final StreamReservation requested) {
        final String key = requested.reservationId() + AvroMapping.RESERVE_KEY_SUFFIX;
        final RetryLoop.Attempt answer = send(reserveRequest(requested, key), requested.reservationId());
        final Decision decision = decision(answer, requested.reservationId());
        if (!decision.allowed()) {
            throw new BudgetRefusedException(requested.reservationId(), decision);
        }
        final JsonNode body = answer.response().body();
        final String granted = body.path("reservation_id").asText();
        final StreamReservation reservation = requested.grantedAs(granted,
                Instant.ofEpochMilli(body.path("expires_at_ms").asLong()), decision.caps().orElse(null));
        final String tenant = requested.subject().tenant();
        return new Admission(reservation, key, null, CompletableFuture.completedFuture(decision),
                () -> release(granted, tenant));
    }

    @Override
    public void close() {
    }

    /** The server's decision; refusals as the ledger's reason codes. */
    private Decision decision(final RetryLoop.Attempt answer, final String reservationId) {
        final JsonNode body = answer.response().body();
        if (answer.kind() == AnswerKind.SUCCESS) {
            final String kind = body.path("decision").asText();
            final Caps caps = body.path("caps").isObject() ? caps(body.path("caps")) : null;
            return new Decision("DENY".equals(kind) ? Decision.Kind.DENY : caps != null ? Decision.Kind.ALLOW_WITH_CAPS
                    : Decision.Kind.ALLOW, "DENY".equals(kind) ? body.path("reason_code").asText("DENY") : null,
                    null, caps, strings(body.path("affected_scopes")), body.path("expires_at_ms").isIntegralNumber()
                    ? Instant.ofEpochMilli(body.path("expires_at_ms").asLong()) : null);
        }
        final String code = answer.response().errorCode().orElse("");
        if (answer.kind() == AnswerKind.NOT_FOUND || REFUSALS.contains(code)) {
            final String reason = answer.kind() == AnswerKind.NOT_FOUND ? "BUDGET_NOT_FOUND" : code;
            final JsonNode scope = body.path("details").path("scope");
            return new Decision(Decision.Kind.DENY, reason, scope.isTextual() ? scope.asText() : null, null,
                    List.of(), null);
        }
        throw new BudgetMeterException("the Cycles server at " + loop.client().baseUrl() + " refused to reserve "
                + reservationId + ": " + answer.summary());
    }

    /** Sends until final within the decision timeout. */
    private RetryLoop.Attempt send(final CyclesRequest request, final String reservationId) {
        final RetryLoop.Result result;
        try {
            result = loop.send(request, this::retryAfter, (sent, attempt, retryIn) -> retryIn.ifPresent(wait ->
                    LOG.info("reserve of {} (attempt {}): {}; again in {} ms", reservationId, attempt.number(),
                            attempt.summary(), wait.toMillis())), System.nanoTime() + timeout.toNanos());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthorityUnavailableException("interrupted while reserving " + reservationId + " at "
                    + loop.client().baseUrl());
        }
        if (result.timedOut() || !result.last().answered()) {
            throw new AuthorityUnavailableException("the Cycles server at " + loop.client().baseUrl()
                    + " gave no answer to reserving " + reservationId + " within " + timeout + " ("
                    + result.last().number() + " attempts, the last: " + result.last().summary() + ")");
        }
        return result.last();
    }

    private Optional<Duration> retryAfter(final RetryLoop.Attempt attempt) {
        if (!attempt.answered() || attempt.kind() == AnswerKind.AMBIGUOUS) {
            return Optional.of(BACKOFF.delay(attempt.number()));
        }
        return attempt.kind() == AnswerKind.THROTTLED
                ? Optional.of(attempt.response().retryAfter().orElseGet(() -> BACKOFF.delay(attempt.number())))
                : Optional.empty();
    }

    /** Best effort, bounded: the hold expires on its own otherwise. */
    private void release(final String reservationId, final String tenant) {
        final String key = reservationId + ":release";
        final ObjectNode body = CyclesJson.body(key).put("reason", NOT_WRITTEN_REASON);
        try {
            final RetryLoop.Attempt answer = send(new CyclesRequest(CyclesOperation.RELEASE, reservationId, tenant,
                    key, body), reservationId);
            LOG.info("Reservation {} released at the Cycles server: its Reserve could not be written ({})",
                    reservationId, answer.summary());
        } catch (final RuntimeException e) {
            LOG.warn("Reservation {} could not be released after its Reserve failed; it expires at the server: {}",
                    reservationId, e.getMessage());
        }
    }

    private static CyclesRequest reserveRequest(final StreamReservation reservation, final String key) {
        final ObjectNode body = CyclesJson.body(key);
        body.set("subject", CyclesJson.subject(AvroMapping.subject(reservation.subject())));
        body.set("action", CyclesJson.action(new dev.budgetmeter.schemas.Action(reservation.actionKind(),
                reservation.actionName(), reservation.actionTags())));
        body.set("estimate", CyclesJson.amount(AvroMapping.amount(reservation.estimate())));
        body.put("ttl_ms", reservation.ttl().toMillis())
                .put("grace_period_ms", reservation.gracePeriod().toMillis())
                .put("overage_policy", reservation.overagePolicy().name());
        if (!reservation.metadata().isEmpty()) {
            body.set("metadata", CyclesJson.strings(reservation.metadata()));
        }
        return new CyclesRequest(CyclesOperation.RESERVE, null, reservation.subject().tenant(), key, body);
    }

    private static Caps caps(final JsonNode caps) {
        final Caps.Builder builder = Caps.builder();
        if (caps.path("max_tokens").isIntegralNumber()) {
            builder.maxTokens(caps.path("max_tokens").asLong());
        }
        if (caps.path("max_steps_remaining").isIntegralNumber()) {
            builder.maxStepsRemaining(caps.path("max_steps_remaining").asInt());
        }
        if (caps.path("tool_allowlist").isArray()) {
            builder.toolAllowlist(strings(caps.path("tool_allowlist")));
        }
        if (caps.path("tool_denylist").isArray()) {
            builder.toolDenylist(strings(caps.path("tool_denylist")));
        }
        if (caps.path("cooldown_ms").isIntegralNumber()) {
            builder.cooldown(Duration.ofMillis(caps.path("cooldown_ms").asLong()));
        }
        return builder.build();
    }

    private static List<String> strings(final JsonNode array) {
        final List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
