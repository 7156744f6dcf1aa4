import type { BudgetMeter } from '../budget-meter';
import type { Pricing } from '../reservation';
import type { SimulatedLlm } from './simulated-llm';

/** The streaming guide's gpt-4o-like prices: 250 and 1,000 USD microcents per input and output token. */
export const GPT_4O: Pricing = Object.freeze({ inputTokenPrice: 250, outputTokenPrice: 1_000 });

/**
 * A worker that streams LLM answers under a budget the way the Cycles streaming guide does (reserve the worst case,
 * stream, commit the actual cost, release on failure), but with events: nothing here waits on a budget server.
 *
 * Per call: `reserveForStream` writes the Reserve of `max_tokens x output price`; each provider chunk is a `chunk`;
 * the provider's totals go with `commit`. When the provider breaks off mid-stream, `fail(error)` ends it instead,
 * and the topology commits what was streamed. Had the worker crashed, the topology would expire the hold.
 */
export class StreamingWorker {
  constructor(private readonly meter: BudgetMeter, private readonly tenant: string) {}

  /**
   * Answers one prompt under a budget.
   *
   * @returns the reservation id, once every event of the call is written to Kafka
   */
  async answer(prompt: string, maxTokens: number, llm: SimulatedLlm): Promise<string> {
    const stream = await this.meter.reserveForStream({
      tenant: this.tenant,
      agent: 'streaming-agent',
      actionKind: 'llm.completion',
      actionName: 'gpt-4o',
      estimate: maxTokens * GPT_4O.outputTokenPrice,
      pricing: GPT_4O,
      ttlMs: 120_000,
    });
    let result;
    try {
      result = await llm.stream(prompt, stream.effectiveMaxTokens(maxTokens), (tokens) => stream.chunk(tokens));
    } catch (streamBroke) {
      await stream.fail(streamBroke);
      return stream.reservationId;
    }
    await stream.commit(undefined, { tokensInput: result.inputTokens, tokensOutput: result.outputTokens });
    return stream.reservationId;
  }
}
