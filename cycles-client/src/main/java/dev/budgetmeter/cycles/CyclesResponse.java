package dev.budgetmeter.cycles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.Optional;

/**
 * One answer of the runtime API: its status, its JSON body (a missing node when the body was empty or not JSON) and
 * the {@code Retry-After} it carried.
 *
 * @param status     the HTTP status
 * @param body       the parsed body, never null
 * @param retryAfter the delay a 429 asked for, when it gave a valid one (delta-seconds)
 * @param latency    from sending the request to reading the whole answer
 */
public record CyclesResponse(int status, JsonNode body, Optional<Duration> retryAfter, Duration latency) {

    public CyclesResponse {
        body = body == null ? MissingNode.getInstance() : body;
        retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
    }

    /** The protocol's {@code error} code, when the body is an error response. */
    public Optional<String> errorCode() {
        final JsonNode error = body.path("error");
        return error.isTextual() ? Optional.of(error.asText()) : Optional.empty();
    }

    /** The error's {@code message}, at most 1024 characters, when it has one. */
    public Optional<String> message() {
        final JsonNode message = body.path("message");
        if (!message.isTextual()) {
            return Optional.empty();
        }
        final String text = message.asText();
        return Optional.of(text.length() <= 1024 ? text : text.substring(0, 1024));
    }

    /** Status, code and message in one line, for logs, dead letters and errors. */
    public String summary() {
        return status + errorCode().map(code -> " " + code).orElse("") + message().map(text -> ": " + text).orElse("");
    }
}
