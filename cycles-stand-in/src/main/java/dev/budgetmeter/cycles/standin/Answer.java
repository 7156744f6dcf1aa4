package dev.budgetmeter.cycles.standin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One answer of the stand-in: a status and a JSON body.
 *
 * @param status the HTTP status
 * @param body   the JSON body
 */
record Answer(int status, ObjectNode body) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    boolean success() {
        return status == 200 || status == 201;
    }

    /** The protocol's error response. */
    static Answer error(final int status, final String code, final String message) {
        return new Answer(status, NODES.objectNode().put("error", code).put("message", message)
                .put("request_id", "req_" + Long.toHexString(System.nanoTime())));
    }

    /** An error response whose details name the scope that refused. */
    static Answer refusal(final int status, final String code, final String message, final String scope) {
        final Answer answer = error(status, code, message);
        answer.body().putObject("details").put("scope", scope);
        return answer;
    }
}
