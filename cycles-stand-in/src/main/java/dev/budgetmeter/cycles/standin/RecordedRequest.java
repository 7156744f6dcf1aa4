package dev.budgetmeter.cycles.standin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request the stand-in received, in arrival order, with what it did with it.
 *
 * @param operation      reserve, extend, commit, release or event
 * @param reservationId  the path's reservation, or null
 * @param idempotencyKey the body's key
 * @param tenant         the tenant of the API key, or null when the key was missing or unknown
 * @param body           the request body
 * @param status         the status answered (0 when the connection was cut without one)
 * @param disposition    what the ledger did
 */
public record RecordedRequest(String operation, String reservationId, String idempotencyKey, String tenant,
                              JsonNode body, int status, Disposition disposition) {

    /** What the stand-in did with a request. */
    public enum Disposition {
        /** Applied to the ledger (first time for its key). */
        APPLIED,
        /** A same-key replay: the stored answer, nothing changed. */
        REPLAYED,
        /** Refused with an error: nothing changed. */
        REFUSED,
        /** A scripted fault answered instead (nothing changed unless the fault applies first). */
        FAULT_NOT_APPLIED,
        /** Applied, then a scripted fault replaced or cut the answer. */
        FAULT_AFTER_APPLY
    }
}
