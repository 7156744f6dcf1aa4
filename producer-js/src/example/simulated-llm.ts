/** The provider's totals for one call. */
export interface LlmResult {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * A stand-in for a streaming LLM provider: answers with one token per chunk, as most providers stream, and can break
 * off mid-answer like a dropped connection. No network; a chunk every `msPerToken` (0: none, as fast as the loop
 * goes). Immutable.
 */
export class SimulatedLlm {
  private constructor(readonly answerTokens: number, readonly failAtToken: number, readonly msPerToken: number) {}

  /** A provider that answers with `answerTokens` tokens. */
  static answering(answerTokens: number, msPerToken = 0): SimulatedLlm {
    return new SimulatedLlm(answerTokens, 0, msPerToken);
  }

  /** A provider whose stream breaks when it reaches token `failAtToken` (1-based). */
  static breakingAt(answerTokens: number, failAtToken: number, msPerToken = 0): SimulatedLlm {
    return new SimulatedLlm(answerTokens, failAtToken, msPerToken);
  }

  /**
   * Streams an answer to `prompt` of at most `maxTokens` tokens, as an async iterable of chunks (token counts), the
   * way provider SDKs stream; the totals come at the end, as providers send them with the last chunk.
   *
   * @throws Error "provider connection reset after N tokens" when the stream breaks
   */
  async stream(prompt: string, maxTokens: number, onChunk: (tokens: number) => void): Promise<LlmResult> {
    const tokens = Math.min(this.answerTokens, maxTokens);
    for (let token = 1; token <= tokens; token++) {
      if (this.msPerToken > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.msPerToken));
      }
      if (token === this.failAtToken) {
        throw new Error(`provider connection reset after ${token - 1} tokens`);
      }
      onChunk(1);
    }
    // About four characters per token, as the providers' tokenizers average on English text.
    return { inputTokens: Math.floor(prompt.length / 4) + 1, outputTokens: tokens };
  }
}
