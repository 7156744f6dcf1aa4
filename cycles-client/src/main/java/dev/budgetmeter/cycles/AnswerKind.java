package dev.budgetmeter.cycles;

/**
 * What an answer of the runtime API means for the request that got it, as the protocol's error semantics and its
 * client-recovery profile read it. What to do next depends on the operation too, and is the caller's (the relay's
 * response table, the reserve's refusals); this only names the case.
 */
public enum AnswerKind {
    /** The success status with a body of the success's shape: applied, or a same-key replay of the stored answer. */
    SUCCESS,
    /** A 5xx, a 2xx that is not a valid success, or any other status: the outcome is unknown, retry the same key. */
    AMBIGUOUS,
    /** 429: throttled; retry the same key after {@code Retry-After}. */
    THROTTLED,
    /** 401: the credentials were refused; nothing was applied. */
    UNAUTHORIZED,
    /** 410 or RESERVATION_EXPIRED: past the reservation's expiry (commit and release: expiry plus grace). */
    EXPIRED,
    /** 409 RESERVATION_FINALIZED: the reservation was settled under another key. */
    FINALIZED,
    /** 409 IDEMPOTENCY_MISMATCH: the key was sent before with another body. */
    IDEMPOTENCY_MISMATCH,
    /** 409 MAX_EXTENSIONS_EXCEEDED. */
    MAX_EXTENSIONS,
    /** 409 TENANT_CLOSED: the owning tenant is closed, for good. */
    TENANT_CLOSED,
    /** 404 NOT_FOUND. */
    NOT_FOUND,
    /** Any other 4xx (400, 403, 409 BUDGET_EXCEEDED, ...): refused as wrong; the same request gets the same answer. */
    REFUSED;

    /** The kind of {@code response} to a request of {@code operation}. */
    public static AnswerKind of(final CyclesOperation operation, final CyclesResponse response) {
        final int status = response.status();
        final String code = response.errorCode().orElse("");
        if (status == operation.successStatus()) {
            return operation.isValidSuccessBody(response.body()) ? SUCCESS : AMBIGUOUS;
        }
        if (status == 429) {
            return THROTTLED;
        }
        if (status == 401) {
            return UNAUTHORIZED;
        }
        if (status == 410 || "RESERVATION_EXPIRED".equals(code)) {
            return EXPIRED;
        }
        if (status == 404) {
            return NOT_FOUND;
        }
        if (status == 409) {
            return switch (code) {
                case "RESERVATION_FINALIZED" -> FINALIZED;
                case "IDEMPOTENCY_MISMATCH" -> IDEMPOTENCY_MISMATCH;
                case "MAX_EXTENSIONS_EXCEEDED" -> MAX_EXTENSIONS;
                case "TENANT_CLOSED" -> TENANT_CLOSED;
                default -> REFUSED;
            };
        }
        return status >= 400 && status < 500 ? REFUSED : AMBIGUOUS;
    }

    /** Whether the same request may be sent again as it is: the outcome is unknown, or the server asked to wait. */
    public boolean retryable() {
        return this == AMBIGUOUS || this == THROTTLED;
    }
}
