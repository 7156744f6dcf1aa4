package dev.budgetmeter.cli.fleet;

import dev.budgetmeter.producer.Pricing;
import java.util.Objects;

/**
 * What one simulated stream does, decided before it starts. Immutable.
 *
 * @param reservationId  the reservation id, unique within the run
 * @param tenant         the tenant it is billed to
 * @param ending         how it ends
 * @param longStream     whether it lasts long enough to need extends
 * @param maxTokens      output tokens asked for; the estimate is {@code maxTokens} times the output price
 * @param answerTokens   output tokens of the full answer, at most {@code maxTokens}
 * @param streamedTokens output tokens streamed before the end: the whole answer when completed, fewer otherwise
 * @param inputTokens    prompt tokens, reported with the first chunk and in the provider's totals
 * @param tickMillis     pause between bursts of tokens
 * @param tokensPerTick  tokens per burst, at least 1
 */
public record StreamPlan(String reservationId, String tenant, Ending ending, boolean longStream, long maxTokens,
                         long answerTokens, long streamedTokens, long inputTokens, long tickMillis,
                         long tokensPerTick) {

    public StreamPlan {
        Objects.requireNonNull(reservationId, "reservationId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(ending, "ending");
        if (answerTokens > maxTokens || streamedTokens > answerTokens || tokensPerTick < 1 || tickMillis < 1) {
            throw new IllegalArgumentException("inconsistent stream plan " + reservationId);
        }
    }

    /**
     * The stream as a worker runs it under a cap of {@code maxOutputTokens} (the decision's caps applied to the
     * tokens it asks for): the answer, and what is streamed of it, cut to the cap; the estimate stays what was
     * reserved.
     */
    public StreamPlan cappedAt(final long maxOutputTokens) {
        if (maxOutputTokens >= answerTokens) {
            return this;
        }
        return new StreamPlan(reservationId, tenant, ending, longStream, maxTokens, maxOutputTokens,
                Math.min(streamedTokens, maxOutputTokens), inputTokens, tickMillis, tokensPerTick);
    }

    /** The worst case the Reserve holds. */
    public long estimate(final Pricing pricing) {
        return pricing.cost(0, maxTokens);
    }

    /**
     * What the topology must charge, Commit and Debits together: the provider's totals of a completed stream; the
     * usage streamed before any other end (committed as observed); nothing when nothing was streamed (released).
     */
    public long expectedCharge(final Pricing pricing) {
        if (ending == Ending.COMPLETED) {
            return pricing.cost(inputTokens, answerTokens);
        }
        return streamedTokens == 0 ? 0 : pricing.cost(inputTokens, streamedTokens);
    }
}
