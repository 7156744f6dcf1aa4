package dev.budgetmeter.producer;

/**
 * Prices of one input and one output token, in the unit of the reservation's estimate. Immutable.
 *
 * <p>When a reservation carries a pricing, the topology prices its usage with it instead of its own price table for
 * the action name. The streaming guide's gpt-4o-like model is {@code Pricing.perToken(250, 1000)} in USD microcents.
 *
 * @param inputTokenPrice  price of one input token, {@code >= 0}
 * @param outputTokenPrice price of one output token, {@code >= 0}
 */
public record Pricing(long inputTokenPrice, long outputTokenPrice) {

    /** @throws IllegalArgumentException when a price is negative */
    public Pricing {
        if (inputTokenPrice < 0 || outputTokenPrice < 0) {
            throw new IllegalArgumentException("token prices must be >= 0, were input " + inputTokenPrice
                    + " and output " + outputTokenPrice);
        }
    }

    /** The prices of one input and one output token. */
    public static Pricing perToken(final long inputTokenPrice, final long outputTokenPrice) {
        return new Pricing(inputTokenPrice, outputTokenPrice);
    }

    /**
     * The cost of a call, in the estimate's unit.
     *
     * @throws ArithmeticException when the cost does not fit in a long
     */
    public long cost(final long inputTokens, final long outputTokens) {
        return Math.addExact(Math.multiplyExact(inputTokens, inputTokenPrice),
                Math.multiplyExact(outputTokens, outputTokenPrice));
    }
}
