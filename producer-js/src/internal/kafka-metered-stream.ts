import type { Decision } from '../decision';
import { BudgetMeterError, BudgetRefusedError, DecisionTimeoutError, StreamEndedError, type DeliveryFailedError,
  type EventType } from '../errors';
import type { CommitMetrics, MeteredStream } from '../metered-stream';
import { effectiveMaxTokens, type Caps, type StreamReservation } from '../reservation';
import { checkUsage, type Usage } from '../usage';
import * as check from './checks';
import { CLOSED_WITHOUT_COMPLETION, METER_CLOSED, reasonOf, truncate } from './end-reasons';
import type { DecisionSource } from './decision-source';
import type { DeliveryReporter } from './delivery-reporter';
import type { EventOutcome, EventSender } from './event-sender';
import { PendingChunks, type ChunkCounts } from './pending-chunks';
import { StreamDelivery } from './stream-delivery';
import { StreamEvents, type EventBody, type Outcome } from './stream-events';

/** What every stream of one meter shares: where events go, how they are made and counted, the clocks and bounds. */
export interface StreamContext {
  readonly sender: EventSender;
  readonly events: StreamEvents;
  readonly reporter: DeliveryReporter;
  /** Epoch ms: event times and chunk intervals. */
  readonly clock: () => number;
  /** Deadlines. */
  readonly monotonic: () => number;
  readonly coalescing: boolean;
  readonly chunkIntervalMs: number;
  readonly chunkTokenThreshold: number;
  readonly blockTimeoutMs: number;
  readonly deliveryTimeoutMs: number;
  /** Where the decisions on the streams' reservations come from. */
  readonly decisions: DecisionSource;
  /** Called once per stream when it ended. */
  readonly onEnded: (stream: KafkaMeteredStream) => void;
}

/**
 * A {@link MeteredStream} on the meter's sender. Node runs one call at a time, so taking "the next seq + hand the event
 * to the sender" is atomic without a lock, and the sender keeps the order it was given.
 */
export class KafkaMeteredStream implements MeteredStream {
  private readonly pending: PendingChunks;
  private readonly delivery = new StreamDelivery();
  private nextSeq = 0;
  private ended: Promise<void> | undefined;
  private endedAs: string | undefined;
  private outputTokensSeen = 0;
  private inputTokensSeen = 0;
  /** Set by writeReserve, before the Reserve is taken; the stream is not handed out before. */
  private decisionPromise: Promise<Decision> | undefined;
  /** The decision once it arrived. */
  private decided: Decision | undefined;

  constructor(readonly reservation: StreamReservation, private readonly context: StreamContext) {
    this.pending = new PendingChunks(context.chunkIntervalMs, context.chunkTokenThreshold);
  }

  get reservationId(): string {
    return this.reservation.reservationId;
  }

  get decision(): Promise<Decision> {
    if (this.decisionPromise === undefined) {
      throw new BudgetMeterError(`reservation ${this.reservationId} has no Reserve yet`);
    }
    return this.decisionPromise;
  }

  /** The decision's caps once it arrived (none when it has none), the reservation's until then. */
  get caps(): Caps | undefined {
    return this.decided !== undefined ? this.decided.caps : this.reservation.caps;
  }

  get finalized(): boolean {
    return this.ended !== undefined;
  }

  effectiveMaxTokens(requested: number): number {
    return effectiveMaxTokens(this.caps, requested);
  }

  /**
   * Takes the Reserve (seq 0), to be written by `deadline` (on the context's monotonic clock), which the caller set
   * one block timeout after `reserveForStream` was called. The decision on it is expected first, so it cannot come
   * unexpected; when the Reserve is not written after all, nobody waits for it.
   *
   * @param replyPartition the partition of the decisions topic the ledger answers in, when the meter reads one
   * @returns settles when Kafka acknowledged it, or with its failure
   * @throws StreamEndedError when the meter's close ended the stream first
   * @throws DeliveryFailedError when the meter's queue is full
   */
  writeReserve(deadline: number, replyPartition?: number): Promise<void> {
    this.ensureNotEnded('reserveForStream()');
    const decisions = this.context.decisions;
    const expected = decisions.expect(this.reservation);
    this.decisionPromise = expected;
    // Registered before anyone else can see the promise, so `decided` is set when a caller's callback runs.
    expected.then((answer) => {
      this.decided = answer;
    }, () => undefined);
    let acknowledged!: EventOutcome;
    const written = new Promise<void>((resolve, reject) => {
      acknowledged = { delivered: resolve, failed: reject };
    });
    try {
      this.send(StreamEvents.reserve(this.reservation, replyPartition), this.context.clock(),
        { deadline, boundMs: this.context.blockTimeoutMs }, acknowledged);
    } catch (notTaken) {
      decisions.forget(this.reservationId);
      throw notTaken;
    }
    return written.catch((notWritten: unknown) => {
      decisions.forget(this.reservationId);
      throw notWritten;
    });
  }

  /**
   * For WAIT mode: resolves once the decision allowed the reservation. When it refused, or none came in time, ends
   * the stream first (cancelled, so the topology releases whatever is held for it) and rejects.
   *
   * @throws BudgetRefusedError when the authority refused the reservation
   * @throws DecisionTimeoutError when no decision came within the decision timeout, or the decisions stopped
   */
  async awaitAllowed(): Promise<void> {
    let answer: Decision;
    try {
      answer = await this.decision;
    } catch (failure) {
      void this.cancel(failure instanceof DecisionTimeoutError ? 'no decision' : 'decision failed');
      throw failure instanceof BudgetMeterError ? failure
        : new BudgetMeterError(`the decision on reservation ${this.reservationId} failed`, { cause: failure });
    }
    if (!answer.allowed) {
      void this.cancel(`refused: ${answer.reasonCode ?? 'DENY'}`);
      throw new BudgetRefusedError(this.reservationId, answer);
    }
  }

  chunk(outputTokens: number, inputTokens = 0): void {
    check.nonNegative('outputTokens', outputTokens);
    check.nonNegative('inputTokens', inputTokens);
    if (this.context.coalescing) {
      if (this.pending.add(outputTokens, inputTokens, this.context.clock())) {
        this.takePending(false);
      }
      this.context.reporter.coalescedChunkCall();
    } else {
      this.ensureNotEnded('chunk()');
      this.send(StreamEvents.chunk({ outputTokens, inputTokens, chunks: 1 }), this.context.clock());
    }
    this.outputTokensSeen += outputTokens;
    this.inputTokensSeen += inputTokens;
    // After the tokens were counted: they were generated, so they are spend, refused or not.
    if (this.decided !== undefined && !this.decided.allowed) {
      throw new BudgetRefusedError(this.reservationId, this.decided);
    }
  }

  usage(usage: Usage): void {
    const checked = checkUsage(usage);
    this.ensureNotEnded('usage()');
    this.takePending(true);
    this.send(StreamEvents.usage(checked, this.reservation.unit), this.context.clock());
  }

  complete(): Promise<void> {
    return this.end('COMPLETED', undefined);
  }

  commit(actual?: number, metrics?: CommitMetrics): Promise<void> {
    if (this.ended === undefined && (actual !== undefined || metrics !== undefined)) {
      try {
        this.usage({
          tokensInput: metrics?.tokensInput ?? this.inputTokensSeen,
          tokensOutput: metrics?.tokensOutput ?? this.outputTokensSeen,
          actual,
          modelVersion: metrics?.modelVersion,
          custom: metrics?.custom,
        });
      } catch (refused) {
        // The stream stays open: the caller can fix the field, or commit or fail again once the queue drains.
        return Promise.reject(refused);
      }
    }
    return this.complete();
  }

  fail(cause?: unknown): Promise<void> {
    return this.end('FAILED', reasonOf(cause));
  }

  cancel(reason?: string): Promise<void> {
    return this.end('CANCELLED', truncate(reason === undefined ? undefined : String(reason)));
  }

  close(): void {
    void this.end('FAILED', CLOSED_WITHOUT_COMPLETION);
  }

  /** The meter is closing: ends the stream unless it ended already. */
  endBecauseMeterClosed(): void {
    void this.end('FAILED', METER_CLOSED);
  }

  /** Takes the pending chunks if they are due; for the meter's timer. */
  takeIfDue(): void {
    if (this.pending.isDue(this.context.clock())) {
      this.takePending(false);
    }
  }

  /**
   * Takes the pending chunks now (for `flush()` and the timer), unless the stream ended. A refusal was reported and the
   * tokens stay pending for the next attempt.
   *
   * @returns false when the meter refused the chunk event (its queue is full)
   */
  takePendingQuietly(): boolean {
    return this.ended !== undefined || this.takePending(false);
  }

  private end(outcome: Outcome, reason: string | undefined): Promise<void> {
    if (this.ended === undefined) {
      this.endedAs = reason === undefined ? outcome : `${outcome}: ${reason}`;
      this.ended = this.delivery.outcome;
      this.writeEnd(outcome, reason);
      this.context.onEnded(this);
    }
    return this.ended;
  }

  private writeEnd(outcome: Outcome, reason: string | undefined): void {
    const last = this.pending.drainAndEnd(`reservation ${this.reservationId} ended ${this.endedAs}`,
      this.context.clock());
    if (this.nextSeq === 0) {
      // The meter closed while this stream was opening: no Reserve went out, so no End may follow it.
      this.delivery.nothingWritten();
      return;
    }
    try {
      if (last !== undefined) {
        this.sendChunk(last);
      }
      this.send(StreamEvents.end(outcome, reason), this.context.clock());
    } catch (notTaken) {
      // The topology's expiry settles a stream whose End never arrives; the caller learns it here.
      this.delivery.endNotTaken(notTaken as DeliveryFailedError);
    }
  }

  /**
   * @param rethrow whether a refusal is the caller's to see (usage) or only reported (chunk, timer, flush)
   * @returns false when the chunk event was refused; its tokens are pending again
   */
  private takePending(rethrow: boolean): boolean {
    const counts = this.pending.drain(this.context.clock());
    if (counts === undefined) {
      return true;
    }
    try {
      this.sendChunk(counts);
      return true;
    } catch (refused) {
      this.pending.restore(counts);
      if (rethrow) {
        throw refused;
      }
      return false;
    }
  }

  private sendChunk(counts: ChunkCounts): void {
    this.send(StreamEvents.chunk(counts), counts.drainedAtMs);
  }

  /**
   * Gives the body the next seq and hands it over; the seq is used up only if the sender took the event. Its bound
   * is the delivery timeout unless given.
   */
  private send(body: EventBody, occurredAtMs: number, bound?: { readonly deadline: number; readonly boundMs: number },
               also?: EventOutcome): void {
    const type: EventType = body.type;
    const boundMs = bound?.boundMs ?? this.context.deliveryTimeoutMs;
    this.context.sender.take({
      record: this.context.events.envelope(this.reservationId, this.nextSeq, occurredAtMs, body),
      type,
      deadline: bound?.deadline ?? this.context.monotonic() + boundMs,
      boundMs,
      outcome: this.delivery.eventOutcome(type, also),
    });
    this.nextSeq++;
  }

  private ensureNotEnded(call: string): void {
    if (this.ended !== undefined) {
      throw new StreamEndedError(`${call} on reservation ${this.reservationId} after the stream ended (${this.endedAs})`);
    }
  }
}
