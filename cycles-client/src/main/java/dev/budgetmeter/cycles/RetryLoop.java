package dev.budgetmeter.cycles;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends one request until its answer is final, always the same request (same key, same body): the protocol's
 * client-recovery rule that an ambiguous outcome is resolved by the server's stored answer to the key, never by a new
 * key. Which answers are retried, and after how long, is the caller's {@link Policy}; a deadline bounds the whole.
 * Every attempt is reported to a {@link Listener} with what comes next, so a retry is never silent.
 */
public final class RetryLoop {

    /** Decides after each attempt. */
    @FunctionalInterface
    public interface Policy {
        /**
         * The wait before sending again, or empty when {@code attempt} is final.
         *
         * @param attempt what the last send gave
         */
        Optional<Duration> retryAfter(Attempt attempt);
    }

    /** Told about every attempt, with the decision taken on it. */
    @FunctionalInterface
    public interface Listener {
        void attempted(CyclesRequest request, Attempt attempt, Optional<Duration> retryIn);

        /** Tells nobody. */
        Listener NONE = (request, attempt, retryIn) -> { };
    }

    /** Waits between attempts; a test may count instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());
    }

    /**
     * One send and what it gave: an answer of some kind, or no answer.
     *
     * @param number   1 for the first send
     * @param response the answer, or null when none came
     * @param kind     the answer's kind, or null when none came
     * @param failure  why no answer came, or null
     */
    public record Attempt(int number, CyclesResponse response, AnswerKind kind, CyclesUnreachableException failure) {

        /** Whether an answer came. */
        public boolean answered() {
            return response != null;
        }

        /** The answer in one line, or the failure's message. */
        public String summary() {
            return answered() ? response.summary() + " (" + kind + ")" : failure.getMessage();
        }
    }

    /**
     * How the loop ended.
     *
     * @param last     the last attempt: final, or the one the deadline cut
     * @param timedOut whether the deadline ended it before a final answer
     */
    public record Result(Attempt last, boolean timedOut) {
    }

    private final CyclesClient client;
    private final Sleeper sleeper;

    public RetryLoop(final CyclesClient client, final Sleeper sleeper) {
        this.client = Objects.requireNonNull(client, "client");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public CyclesClient client() {
        return client;
    }

    /**
     * Sends {@code request} until {@code policy} says an attempt is final or {@code deadlineNanos} (of
     * {@link System#nanoTime()}) would pass before the next one.
     *
     * @throws InterruptedException when interrupted while waiting to retry
     */
    public Result send(final CyclesRequest request, final Policy policy, final Listener listener,
                       final long deadlineNanos) throws InterruptedException {
        for (int number = 1; ; number++) {
            final Attempt attempt = attempt(request, number);
            final Optional<Duration> wait = policy.retryAfter(attempt);
            final boolean pastDeadline = wait.isPresent()
                    && deadlineNanos - System.nanoTime() - wait.get().toNanos() < 0;
            listener.attempted(request, attempt, pastDeadline ? Optional.empty() : wait);
            if (wait.isEmpty() || pastDeadline) {
                return new Result(attempt, pastDeadline);
            }
            sleeper.sleep(wait.get());
        }
    }

    private Attempt attempt(final CyclesRequest request, final int number) {
        try {
            final CyclesResponse response = client.send(request);
            return new Attempt(number, response, AnswerKind.of(request.operation(), response), null);
        } catch (final CyclesUnreachableException e) {
            return new Attempt(number, null, null, e);
        }
    }
}
