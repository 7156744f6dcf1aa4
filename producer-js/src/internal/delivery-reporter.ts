import type { DeliveryFailedError, EventType } from '../errors';
import type { MeterMetrics } from '../metrics';

/** Where a meter's warnings go; `console` by default. */
export interface MeterLogger {
  warn(message: string): void;
}

const WARN_INTERVAL_MS = 1_000;

/**
 * The meter-wide accounting of events: the counters of `MeterMetrics`, and the three channels every failed event
 * reaches (counter, listener, warning). The warning is limited to one line per second, with the number of failures
 * left out since the previous line, because an unreachable broker fails every event of every stream at once.
 */
export class DeliveryReporter {
  private readonly sentByType: Record<EventType, number> = { RESERVE: 0, CHUNK: 0, USAGE: 0, END: 0 };
  private deliveredCount = 0;
  private failedCount = 0;
  private refusedCount = 0;
  private coalescedChunkCalls = 0;
  private streamsOpenedCount = 0;
  private lastWarnAt: number | undefined;
  private unlogged = 0;

  /**
   * @param coalescing whether the meter's chunk calls coalesce; without, each chunk call the meter took is one chunk
   *                   event, and a refused one counts as neither, so the calls are not counted separately
   */
  constructor(private readonly listener: (failure: DeliveryFailedError) => void, private readonly logger: MeterLogger,
              private readonly monotonic: () => number, private readonly coalescing: boolean) {}

  accepted(type: EventType): void {
    this.sentByType[type]++;
  }

  delivered(): void {
    this.deliveredCount++;
  }

  /** A taken event was not written. */
  failed(failure: DeliveryFailedError): void {
    this.failedCount++;
    this.tell(failure);
  }

  /** An event was not taken at all. */
  refused(failure: DeliveryFailedError): void {
    this.refusedCount++;
    this.tell(failure);
  }

  /** A chunk call that added to the pending chunks of a coalescing meter. */
  coalescedChunkCall(): void {
    this.coalescedChunkCalls++;
  }

  streamOpened(): void {
    this.streamsOpenedCount++;
  }

  snapshot(streamsOpen: number): MeterMetrics {
    const sent = this.sentByType;
    return Object.freeze({
      eventsSent: sent.RESERVE + sent.CHUNK + sent.USAGE + sent.END,
      eventsDelivered: this.deliveredCount,
      eventsFailed: this.failedCount,
      eventsRefused: this.refusedCount,
      chunkCalls: this.coalescing ? this.coalescedChunkCalls : sent.CHUNK,
      chunkEvents: sent.CHUNK,
      streamsOpened: this.streamsOpenedCount,
      streamsOpen,
    });
  }

  private tell(failure: DeliveryFailedError): void {
    this.warn(failure);
    try {
      this.listener(failure);
    } catch (error) {
      this.logger.warn(`The delivery listener threw on a failure of reservation ${failure.reservationId}: ${
        error instanceof Error ? error.message : String(error)}`);
    }
  }

  private warn(failure: DeliveryFailedError): void {
    const now = this.monotonic();
    if (this.lastWarnAt === undefined || now - this.lastWarnAt >= WARN_INTERVAL_MS) {
      this.lastWarnAt = now;
      const unlogged = this.unlogged;
      this.unlogged = 0;
      this.logger.warn(failure.message + (unlogged === 0 ? ''
        : ` (and ${unlogged} more failed events since the previous warning)`));
    } else {
      this.unlogged++;
    }
  }
}
