/**
 * A snapshot of one meter's counters since it was created; counts only grow. Once everything settled (after
 * `flush()`), `eventsSent === eventsDelivered + eventsFailed`.
 */
export interface MeterMetrics {
  /** Events the meter took for sending (queued in order behind the one request in flight). */
  readonly eventsSent: number;
  /** Events Kafka acknowledged (acks=all). */
  readonly eventsDelivered: number;
  /** Events taken but not written: refused by the broker, not acknowledged within their bound, or cut by close. */
  readonly eventsFailed: number;
  /** Events the meter did not take at all (its queue was full); a refused coalesced chunk keeps its tokens. */
  readonly eventsRefused: number;
  /** Calls to `chunk()` (provider chunks reported). */
  readonly chunkCalls: number;
  /** Chunk events taken for them; `chunkCalls / chunkEvents` is the coalescing factor. */
  readonly chunkEvents: number;
  /** Streams opened (their Reserve was acknowledged). */
  readonly streamsOpened: number;
  /** Streams open now (opened, not ended). */
  readonly streamsOpen: number;
}
