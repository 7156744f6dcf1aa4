import type { Decision } from './decision';
import type { Caps, StreamReservation } from './reservation';
import type { Usage } from './usage';

/** The provider's metrics a `commit` may carry; token totals default to the sums of the stream's chunks. */
export type CommitMetrics = Partial<Omit<Usage, 'actual'>>;

/**
 * One streaming LLM call under a budget reservation, as a stream of events keyed by its reservation id: the Reserve
 * (written by `reserveForStream`), chunks, usage, and one End. The handle of the Cycles TypeScript client's
 * `reserveForStream`, with the same once-only terminal calls, but nothing here waits on a budget server.
 *
 * Order: events reach the topic in the order of the calls that made them, with a contiguous `seq` (0 for the Reserve,
 * +1 per event), all in the partition of the reservation id. A `seq` is used up only by an event the meter took; if
 * Kafka then fails it (reported, see `DeliveryFailedError`), the topic shows a gap there and the terminal promise
 * rejects.
 *
 * Chunks: with coalescing (the default) `chunk()` never waits on the network and never allocates a promise: it adds to
 * the stream's counters, and at most once per chunk event it hands an event to the meter's sender. One chunk event
 * carries the sum of many calls; it is written when the counters hold the meter's token threshold, when their oldest
 * token has waited the chunk interval (the meter's timer also finds idle streams), and always before a usage or end
 * event. The token sums are exact.
 *
 * Terminal calls: `complete()` / `commit()`, `fail()` and `cancel()` end the stream; the first of them (or `close()`,
 * or the meter's close) wins and writes the one End event; later calls return the same promise. After the end,
 * `chunk()` and `usage()` throw `StreamEndedError`. The promise resolves once every event of the stream the meter
 * took, the End included, is acknowledged (acks=all), and rejects with a `DeliveryFailedError` naming the first event
 * that was not written, within the meter's delivery timeout. Dropping it never counts as an unhandled rejection:
 * the failure also reaches the meter's listener, counters and log.
 *
 * Decision: `decision` is the authority's answer to the Reserve (the Cycles handle's `decision`). In the meter's
 * EXTERNAL mode it is settled at once from the reservation; with the budget ledger it comes from the decisions topic
 * (in WAIT mode before `reserveForStream` resolved, in OPTIMISTIC mode later). `caps` and `effectiveMaxTokens()`
 * follow the decision's caps once it arrived. See `DecisionMode`.
 */
export interface MeteredStream {
  /** The reservation id: the key of every event of this stream. */
  readonly reservationId: string;
  /** What was reserved, checked and frozen. */
  readonly reservation: StreamReservation;
  /** The caps of the decision once it arrived (none when it has none); the reservation's caps until then. */
  readonly caps: Caps | undefined;
  /**
   * The authority's decision on the reservation. Resolves with it, a refusal included (in OPTIMISTIC mode; in WAIT
   * mode a refused stream is never handed out); rejects with a `DecisionTimeoutError` when the ledger's decision did
   * not come within the meter's decision timeout, or the meter closed first. Never an unhandled rejection.
   */
  readonly decision: Promise<Decision>;
  /** True once a terminal call (or close) ended the stream (the Cycles client's `finalized`). */
  readonly finalized: boolean;

  /**
   * The output tokens to ask the provider for: `min(requested, caps.maxTokens)`, or `requested` without a cap; with
   * the ledger, the decision's cap once it arrived.
   */
  effectiveMaxTokens(requested: number): number;

  /**
   * Reports one provider chunk: output tokens, and input tokens first seen in it. Never waits on the network. Without
   * coalescing it takes one chunk event per call.
   *
   * @throws TypeError or RangeError when a count is not a safe integer >= 0
   * @throws StreamEndedError after the stream ended
   * @throws DeliveryFailedError without coalescing, when the meter's queue is full
   * @throws BudgetRefusedError after the ledger refused the reservation (OPTIMISTIC mode), once the tokens are counted:
   *         they were generated, so they are spend; `usage()` and the terminal calls still work
   */
  chunk(outputTokens: number, inputTokens?: number): void;

  /**
   * Reports the provider's totals for the whole call; they win over the sum of the chunks. Takes any pending chunk
   * first. Never waits on the network.
   *
   * @throws TypeError or RangeError naming the field
   * @throws StreamEndedError after the stream ended
   * @throws DeliveryFailedError when the meter's queue is full (the events were not taken)
   */
  usage(usage: Usage): void;

  /** Ends the stream as completed: the topology commits the usage. */
  complete(): Promise<void>;

  /**
   * The Cycles client's `commit(actual, metrics)`: reports the usage (`actual` in the estimate's unit when the worker
   * priced the call, token totals from `metrics`, else the sums of the chunks), then completes. Without arguments
   * it is `complete()`.
   *
   * Rejects, and leaves the stream open, with a TypeError or RangeError naming a bad field, or with a
   * `DeliveryFailedError` when the meter's queue is full; otherwise as `complete()`.
   */
  commit(actual?: number, metrics?: CommitMetrics): Promise<void>;

  /**
   * Ends the stream as failed with the cause's type and message (at most 256 characters) as reason. The topology
   * commits what was streamed (its default policy) and releases the rest.
   */
  fail(cause?: unknown): Promise<void>;

  /** Ends the stream as cancelled, with a reason of at most 256 characters. */
  cancel(reason?: string): Promise<void>;

  /**
   * Ends the stream as failed with reason `closed without completion` unless a terminal call ended it before; then
   * does nothing. Never throws and does not wait: a failure reaches the meter's listener, counters and log.
   */
  close(): void;
}
