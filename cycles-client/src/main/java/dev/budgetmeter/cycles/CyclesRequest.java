package dev.budgetmeter.cycles;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One request to the runtime API, complete: sent again unchanged (same key, same body) on every retry, so the server
 * answers a replay with its stored answer and never applies it twice.
 *
 * @param operation      which operation
 * @param reservationId  the reservation of a per-reservation operation; null for reserve and events
 * @param tenant         whose API key to send
 * @param idempotencyKey the body's {@code idempotency_key}, also sent as {@code X-Idempotency-Key}
 * @param body           the JSON body, which carries the same key
 */
public record CyclesRequest(CyclesOperation operation, String reservationId, String tenant, String idempotencyKey,
                            ObjectNode body) {

    public CyclesRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(body, "body");
        if (operation != CyclesOperation.RESERVE && operation != CyclesOperation.EVENT) {
            Objects.requireNonNull(reservationId, "reservationId");
        }
    }

    /** What to name in a log line or error: operation, path and key, never the body's secrets (there are none). */
    public String describe() {
        return "POST " + operation.path(reservationId) + " (key " + idempotencyKey + ")";
    }
}
