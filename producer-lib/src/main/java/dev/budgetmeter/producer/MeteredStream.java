package dev.budgetmeter.producer;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One streaming LLM call under a budget reservation, as a stream of events keyed by its reservation id: the Reserve
 * (written by {@link BudgetMeter#open}), chunks, usage, and one End. Use it in try-with-resources:
 *
 * <pre>{@code
 * try (MeteredStream stream = meter.open(reservation)) {
 *     for (Token t : provider.stream(prompt, stream.effectiveMaxTokens(maxTokens))) stream.chunk(t.count());
 *     stream.usage(inputTokens, outputTokens);
 *     stream.complete();
 * } // closed without a terminal call: End(FAILED, "closed without completion")
 * }</pre>
 *
 * <p><b>Order.</b> Events reach the topic in the order of the calls that made them, with a contiguous {@code seq}
 * (0 for the Reserve, +1 per event), all in the partition of the reservation id. A {@code seq} is used up only by an
 * event Kafka accepted; if Kafka later fails an accepted event (reported, see {@link DeliveryFailedException}),
 * the topic shows a gap there and the stream's terminal future fails.
 *
 * <p><b>Chunks and coalescing.</b> With coalescing (the default) {@link #chunk} never waits on the network: it adds
 * to the stream's counters under a lock held for a few arithmetic steps, allocates nothing, and at most once per
 * chunk event hands a write to the flusher thread. One chunk event carries the sum of many calls. A chunk event
 * is written when the counters hold the meter's token threshold, when their oldest token has waited the meter's
 * chunk interval (by the meter's single background flusher, also for an idle stream), and always before a usage or
 * end event. So a stream writes at most one chunk event per interval or per threshold of tokens, and no token waits
 * longer than about one interval. The token sums are exact.
 *
 * <p><b>Terminal calls.</b> {@link #complete()}, {@link #fail(Throwable)} and {@link #cancel(String)} end the stream;
 * the first of them (or {@link #close()}, or the meter's close) wins and writes the one End event. Later terminal
 * calls are no-ops that return a future of the same outcome. After the end, {@link #chunk} and {@link #usage}
 * throw {@link IllegalStateException}. Terminal calls never throw for transport failures: they return a future.
 *
 * <p><b>Decisions.</b> The authority's answer is {@link #decision()}. With the budget ledger in
 * {@link DecisionMode#WAIT} (and with an outside authority) a stream exists only once allowed. In
 * {@link DecisionMode#OPTIMISTIC} a refused stream learns it from its decision future, and every later chunk call
 * throws {@link BudgetRefusedException} after counting its tokens; {@link #usage} and the terminal calls still work,
 * because the tokens generated before the model call stopped are real spend: the topology charges them as an
 * unauthorized debit and audits them.
 *
 * <p><b>Threads.</b> A stream is meant to be driven by the one thread that reads the provider's stream; it is safe
 * to call from several threads (counters and sequence numbers stay exact), but then the order of events on the wire
 * is the order in which the calls got the stream's lock. Different streams of one meter are independent.
 */
public interface MeteredStream extends AutoCloseable {

    /** The reservation id: the key of every event of this stream. */
    String reservationId();

    /** What was reserved. */
    StreamReservation reservation();

    /**
     * The authority's decision on the reservation. Complete when {@link BudgetMeter#open} returns, but in
     * {@link DecisionMode#OPTIMISTIC}, where it completes once the ledger answered: chain the reaction to a refusal
     * on it ({@code stream.decision().thenAccept(d -> { if (!d.allowed()) modelCall.cancel(); })}). It completes
     * exceptionally with a {@link DecisionTimeoutException} when no decision came within the decision timeout.
     * Completed on the meter's decisions thread: chain heavy work with the {@code *Async} methods. Each call returns
     * a new future, so completing or cancelling it changes nothing for the stream.
     */
    CompletableFuture<Decision> decision();

    /** The caps to apply: the decision's once it arrived, before that those the reservation carries, if any. */
    Optional<Caps> caps();

    /**
     * The output tokens to ask the provider for: {@code min(requested, caps.maxTokens)}, or {@code requested}
     * without a token cap.
     */
    long effectiveMaxTokens(long requested);

    /**
     * Reports one provider chunk of output tokens. Never blocks on the network.
     *
     * @throws IllegalArgumentException when {@code outputTokens} is negative
     * @throws IllegalStateException    after the stream ended
     * @throws BudgetRefusedException   after the authority refused the reservation ({@link DecisionMode#OPTIMISTIC}),
     *                                  once the tokens are counted: stop the model call, report its usage and end
     */
    void chunk(long outputTokens);

    /**
     * Reports one provider chunk with output tokens and input tokens first seen in it. Never blocks on the network
     * with coalescing on; without coalescing it writes one event and may block up to the meter's block timeout.
     *
     * @throws IllegalArgumentException when a count is negative
     * @throws IllegalStateException    after the stream ended
     * @throws BudgetRefusedException   after a refusal, once the tokens are counted, as {@link #chunk(long)}
     * @throws BudgetMeterException     without coalescing, when the event could not be handed to Kafka in time
     */
    void chunk(long outputTokens, long inputTokens);

    /**
     * Reports the provider's token totals for the whole call; they win over the sum of chunks. Writes any pending
     * chunk first. May block up to the meter's block timeout when Kafka cannot take the events.
     *
     * @throws IllegalStateException after the stream ended
     * @throws BudgetMeterException  when an event could not be handed to Kafka within the block timeout
     */
    void usage(long inputTokens, long outputTokens);

    /**
     * Reports the provider's totals with cost, model version or further metrics.
     *
     * @throws IllegalArgumentException when {@code usage.actual()} is not in the estimate's unit
     * @throws IllegalStateException    after the stream ended
     * @throws BudgetMeterException     when an event could not be handed to Kafka within the block timeout
     */
    void usage(Usage usage);

    /**
     * Ends the stream as completed (the budget authority commits the usage).
     *
     * @return completes when every event of the stream that Kafka accepted, the End included, is acknowledged;
     *         completes exceptionally with a {@link DeliveryFailedException} when one of them was not written.
     *         Completed on a Kafka producer thread: chain heavy work with the {@code *Async} methods.
     */
    CompletableFuture<Void> complete();

    /**
     * Ends the stream as failed, with the exception's type and message (truncated to 256 characters) as reason.
     * The topology commits what was already streamed and releases the rest.
     *
     * @return as {@link #complete()}
     */
    CompletableFuture<Void> fail(Throwable cause);

    /**
     * Ends the stream as cancelled with a reason (truncated to 256 characters; null for none).
     *
     * @return as {@link #complete()}
     */
    CompletableFuture<Void> cancel(String reason);

    /** Whether a terminal call (or close) already ended the stream. */
    boolean isEnded();

    /**
     * Ends the stream as failed with reason {@code closed without completion} unless a terminal call ended it
     * before; then does nothing. Never throws: a failure to write the End reaches the meter's listener, counters and
     * log.
     */
    @Override
    void close();
}
