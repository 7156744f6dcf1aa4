package dev.budgetmeter.cycles.standin;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A scripted misbehaviour of the stand-in for the next {@code times} requests that match: what a real server or its
 * network does on a bad day. Build one with the factories and hand it to {@link CyclesStandIn#inject}.
 *
 * @param operation  the operation it applies to: reserve, extend, commit, release or event
 * @param keys       which idempotency keys it applies to
 * @param kind       what happens
 * @param status     the status answered, for {@link Kind#ANSWER_INSTEAD}
 * @param errorCode  the error code answered, for {@link Kind#ANSWER_INSTEAD}
 * @param retryAfter the {@code Retry-After} seconds sent with it, or null
 * @param delay      how long the server stalls, for {@link Kind#STALL_THEN_APPLY}
 * @param times      how many matching requests it hits
 */
public record Fault(String operation, Predicate<String> keys, Kind kind, int status, String errorCode,
                    Long retryAfter, Duration delay, int times) {

    /** What the server does instead of answering normally. */
    public enum Kind {
        /** Answers with the status and error, applying nothing (a 5xx, a 429, a 401...). */
        ANSWER_INSTEAD,
        /** Applies the request, then closes the connection without an answer: the answer is lost. */
        LOSE_ANSWER,
        /** Closes the connection before applying anything: a transport error. */
        CUT_BEFORE_APPLY,
        /** Applies the request, then answers 200 with a body that is not the operation's success. */
        MALFORMED_SUCCESS,
        /** Stalls for the delay (longer than the client waits), then applies the request and answers too late. */
        STALL_THEN_APPLY
    }

    public Fault {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(kind, "kind");
    }

    /** Answers {@code status} and {@code errorCode} to the next {@code times} requests of the operation. */
    public static Fault answer(final String operation, final int status, final String errorCode, final int times) {
        return new Fault(operation, key -> true, Kind.ANSWER_INSTEAD, status, errorCode, null, null, times);
    }

    /** 429 LIMIT_EXCEEDED with {@code Retry-After: seconds}. */
    public static Fault throttle(final String operation, final long seconds, final int times) {
        return new Fault(operation, key -> true, Kind.ANSWER_INSTEAD, 429, "LIMIT_EXCEEDED", seconds, null, times);
    }

    public static Fault of(final String operation, final Kind kind, final int times) {
        return new Fault(operation, key -> true, kind, 0, null, null, Duration.ofSeconds(3), times);
    }

    /** The same fault only for keys that {@code keys} accepts. */
    public Fault forKeys(final Predicate<String> keys) {
        return new Fault(operation, keys, kind, status, errorCode, retryAfter, delay, times);
    }

    /** The same fault with another stall. */
    public Fault stalling(final Duration stall) {
        return new Fault(operation, keys, kind, status, errorCode, retryAfter, stall, times);
    }
}
