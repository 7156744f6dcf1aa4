package dev.budgetmeter.cycles;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The runtime operations of the protocol this project calls, with their path, the status of their success and the
 * shape a success body must have. Only a success of that status and shape is one: anything else from the 2xx range
 * is ambiguous (the client-recovery profile's CR-CORE-004) and is retried under the same key.
 */
public enum CyclesOperation {
    /** {@code POST /v1/reservations}. */
    RESERVE(null, 200),
    /** {@code POST /v1/reservations/{id}/extend}. */
    EXTEND("extend", 200),
    /** {@code POST /v1/reservations/{id}/commit}. */
    COMMIT("commit", 200),
    /** {@code POST /v1/reservations/{id}/release}. */
    RELEASE("release", 200),
    /** {@code POST /v1/events}: a direct debit. */
    EVENT(null, 201);

    private static final Set<String> DECISIONS = Set.of("ALLOW", "ALLOW_WITH_CAPS", "DENY");

    private final String action;
    private final int successStatus;

    CyclesOperation(final String action, final int successStatus) {
        this.action = action;
        this.successStatus = successStatus;
    }

    /** The path of the request; {@code reservationId} is used (URL-encoded) by the per-reservation operations. */
    public String path(final String reservationId) {
        if (this == RESERVE) {
            return "/v1/reservations";
        }
        if (this == EVENT) {
            return "/v1/events";
        }
        return "/v1/reservations/" + URLEncoder.encode(reservationId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/" + action;
    }

    /** The status a success of this operation answers with: 201 for an event, else 200. */
    public int successStatus() {
        return successStatus;
    }

    /** Whether {@code body} has the fields the protocol requires of this operation's success. */
    public boolean isValidSuccessBody(final JsonNode body) {
        if (body == null || !body.isObject()) {
            return false;
        }
        return switch (this) {
            case RESERVE -> DECISIONS.contains(body.path("decision").asText())
                    && ("DENY".equals(body.path("decision").asText())
                    || (body.path("reservation_id").isTextual() && !body.path("reservation_id").asText().isEmpty()
                    && body.path("expires_at_ms").isIntegralNumber()));
            case EXTEND -> "ACTIVE".equals(body.path("status").asText()) && body.path("expires_at_ms").isIntegralNumber();
            case COMMIT -> "COMMITTED".equals(body.path("status").asText()) && isAmount(body.path("charged"));
            case RELEASE -> "RELEASED".equals(body.path("status").asText()) && isAmount(body.path("released"));
            case EVENT -> "APPLIED".equals(body.path("status").asText()) && body.path("event_id").isTextual();
        };
    }

    private static boolean isAmount(final JsonNode node) {
        return node.path("unit").isTextual() && node.path("amount").isIntegralNumber();
    }
}
