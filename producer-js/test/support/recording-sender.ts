import { DeliveryFailedError } from '../../src/errors';
import type { OutgoingEvent } from '../../src/internal/event-sender';

/** Stands in for the meter's sender: records what the stream hands over; the test settles the events. */
export class RecordingSender {
  readonly taken: OutgoingEvent[] = [];
  refuse = false;

  take(event: OutgoingEvent): void {
    if (this.refuse) {
      throw new DeliveryFailedError('queue full', event.record.reservation_id, event.record.seq, event.type);
    }
    this.taken.push(event);
  }

  deliverAll(): void {
    this.taken.forEach((event) => event.outcome.delivered());
  }

  bodies(): string[] {
    return this.taken.map((event) => `${event.record.seq}:${event.type}`);
  }

  body(index: number): Record<string, unknown> {
    return Object.values(this.taken[index].record.body)[0] as Record<string, unknown>;
  }
}
