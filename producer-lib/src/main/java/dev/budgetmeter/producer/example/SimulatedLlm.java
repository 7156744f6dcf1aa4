package dev.budgetmeter.producer.example;

import java.util.function.LongConsumer;

/**
 * A stand-in for a streaming LLM provider: answers with one token per chunk, as most providers stream, and can break
 * off mid-answer like a dropped connection. No network, no delay. Immutable.
 *
 * @param answerTokens     tokens of the full answer (the model stops earlier when {@code maxTokens} is lower)
 * @param failAtToken      the token at which the stream breaks (1-based), or 0 for a stream that never breaks
 */
public record SimulatedLlm(long answerTokens, long failAtToken) {

    /** The provider's totals for one call. */
    public record Result(long inputTokens, long outputTokens) {
    }

    /** A provider that answers with {@code answerTokens} tokens. */
    public static SimulatedLlm answering(final long answerTokens) {
        return new SimulatedLlm(answerTokens, 0);
    }

    /** A provider whose stream breaks when it reaches token {@code failAtToken}. */
    public static SimulatedLlm breakingAt(final long answerTokens, final long failAtToken) {
        return new SimulatedLlm(answerTokens, failAtToken);
    }

    /**
     * Streams an answer to {@code prompt}, handing each chunk's token count to {@code onChunk}.
     *
     * @throws IllegalStateException when the stream breaks
     */
    public Result stream(final String prompt, final long maxTokens, final LongConsumer onChunk) {
        final long tokens = Math.min(answerTokens, maxTokens);
        for (long token = 1; token <= tokens; token++) {
            if (token == failAtToken) {
                throw new IllegalStateException("provider connection reset after " + (token - 1) + " tokens");
            }
            onChunk.accept(1);
        }
        // About four characters per token, as the providers' tokenizers average on English text.
        return new Result(prompt.length() / 4 + 1, tokens);
    }
}
