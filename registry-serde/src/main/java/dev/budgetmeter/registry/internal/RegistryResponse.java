package dev.budgetmeter.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.budgetmeter.registry.SchemaRegistryRequestException;

/** One answer of the registry that the transport did not retry: any status below 500 except 408 and 429. */
record RegistryResponse(String request, int status, JsonNode body, String rawBody) {

    /** The status is 2xx. */
    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /**
     * The status is 404 with one of the given registry error codes. The code matters: a 404 without one comes from a
     * wrong base URL, which must not read as "no such schema".
     */
    boolean isNotFound(final int... registryErrorCodes) {
        if (status != 404) {
            return false;
        }
        final int code = body.path("error_code").asInt(-1);
        for (final int expected : registryErrorCodes) {
            if (code == expected) {
                return true;
            }
        }
        return false;
    }

    /** The registry's {@code error_code}, or the HTTP status when the body has none. */
    int errorCode() {
        return body.path("error_code").asInt(status);
    }

    /** The registry's {@code message}, or the raw body when it is not a registry error document. */
    String message() {
        final JsonNode message = body.path("message");
        return message.isTextual() ? message.asText() : rawBody;
    }

    /** The body, when the status is 2xx; otherwise the error as an exception. */
    JsonNode successBody() {
        if (!isSuccess()) {
            throw refused();
        }
        return body;
    }

    /** This answer as the exception for a refused request. */
    SchemaRegistryRequestException refused() {
        return new SchemaRegistryRequestException(request, status, errorCode(), message());
    }
}
