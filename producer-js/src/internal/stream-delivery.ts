import type { DeliveryFailedError, EventType } from '../errors';
import type { EventOutcome } from './event-sender';

/**
 * The delivery outcome of one stream: resolves when its End is acknowledged, rejects with the stream's first failed
 * event if one failed. Relies on the sender settling a stream's events in the order they were taken, so when the
 * End settles, every earlier event of the stream has.
 *
 * The outcome never counts as an unhandled rejection: a caller who drops it loses nothing, since every failure also
 * reached the meter's listener, counters and log.
 */
export class StreamDelivery {
  readonly outcome: Promise<void>;
  private resolve!: () => void;
  private reject!: (failure: DeliveryFailedError) => void;
  private firstFailure: DeliveryFailedError | undefined;

  constructor() {
    this.outcome = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.outcome.catch(() => undefined);
  }

  /** The outcome of one event of the stream; `also` hears of it too (the Reserve's waiter). */
  eventOutcome(type: EventType, also?: EventOutcome): EventOutcome {
    return {
      delivered: () => {
        also?.delivered();
        if (type === 'END') {
          this.settle();
        }
      },
      failed: (failure) => {
        this.firstFailure ??= failure;
        also?.failed(failure);
        if (type === 'END') {
          this.settle();
        }
      },
    };
  }

  /** The stream ended without the meter taking its End: nothing more will report. */
  endNotTaken(failure: DeliveryFailedError): void {
    this.reject(this.firstFailure ?? failure);
  }

  /** The stream ended before its Reserve was taken: there is nothing to wait for. */
  nothingWritten(): void {
    this.resolve();
  }

  private settle(): void {
    if (this.firstFailure === undefined) {
      this.resolve();
    } else {
      this.reject(this.firstFailure);
    }
  }
}
