import { StreamEndedError } from '../errors';

/** The schema's `chunks` is an Avro int. */
const MAX_CHUNKS = 2 ** 31 - 1;

/** What one chunk event carries; `drainedAtMs` is the event's time, `oldestAtMs` when its first chunk arrived. */
export interface ChunkCounts {
  readonly outputTokens: number;
  readonly inputTokens: number;
  readonly chunks: number;
  readonly oldestAtMs: number;
  readonly drainedAtMs: number;
}

/**
 * The coalesced provider chunks of one stream that no chunk event carries yet: token sums, the number of chunks and
 * when the oldest arrived. Plain arithmetic, so `chunk()` costs a few additions and a clock read.
 *
 * Pending chunks are due once they hold the token threshold (input plus output) or once the oldest has waited the
 * interval. The wait counts from the oldest pending chunk and a drain takes everything, so two chunk events that
 * were due by time are at least one interval apart. Ending the stream is a drain too: after `drainAndEnd`, `add`
 * throws, so no token can slip in after the last chunk event.
 */
export class PendingChunks {
  private outputTokens = 0;
  private inputTokens = 0;
  private chunks = 0;
  private oldestAtMs = 0;
  private endedAs: string | undefined;

  constructor(private readonly intervalMs: number, private readonly tokenThreshold: number) {}

  /**
   * Adds one provider chunk at time `now`.
   *
   * @returns true when the pending chunks are due now: the caller drains them
   * @throws StreamEndedError after the stream ended
   */
  add(output: number, input: number, now: number): boolean {
    if (this.endedAs !== undefined) {
      throw new StreamEndedError(`chunk() after the end: ${this.endedAs}`);
    }
    if (this.chunks === 0) {
      this.oldestAtMs = now;
    }
    this.outputTokens += output;
    this.inputTokens += input;
    this.chunks = Math.min(MAX_CHUNKS, this.chunks + 1);
    return this.isDue(now);
  }

  isDue(now: number): boolean {
    return this.chunks > 0
      && (this.outputTokens + this.inputTokens >= this.tokenThreshold || now - this.oldestAtMs >= this.intervalMs);
  }

  /** Takes everything pending, or undefined when nothing is. */
  drain(now: number): ChunkCounts | undefined {
    if (this.chunks === 0) {
      return undefined;
    }
    const counts = { outputTokens: this.outputTokens, inputTokens: this.inputTokens, chunks: this.chunks,
      oldestAtMs: this.oldestAtMs, drainedAtMs: now };
    this.outputTokens = 0;
    this.inputTokens = 0;
    this.chunks = 0;
    return counts;
  }

  /** Takes everything pending and refuses any later chunk; `endedAs` says how, for the refusal's message. */
  drainAndEnd(endedAs: string, now: number): ChunkCounts | undefined {
    this.endedAs = endedAs;
    return this.drain(now);
  }

  /** Puts back a drain whose event the meter could not take, so its tokens go with the next chunk event. */
  restore(counts: ChunkCounts): void {
    this.oldestAtMs = this.chunks === 0 ? counts.oldestAtMs : Math.min(this.oldestAtMs, counts.oldestAtMs);
    this.outputTokens += counts.outputTokens;
    this.inputTokens += counts.inputTokens;
    this.chunks = Math.min(MAX_CHUNKS, this.chunks + counts.chunks);
  }
}
