/** The kinds of event a stream writes, in the order they appear in it. */
export type EventType = 'RESERVE' | 'CHUNK' | 'USAGE' | 'END';

/**
 * An event could not be written, or a call came at the wrong time. Carried by the promises of
 * `reserveForStream`, the terminal calls and `flush`, always within the meter's configured bounds.
 */
export class BudgetMeterError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * One event of one stream was not written to the stream-events topic: Kafka refused it, did not acknowledge it within
 * its bound, or the meter could not take it (queue full, meter closed). Says which event: reservation id, sequence
 * number and type; `cause` holds the client's or broker's own error.
 *
 * Every such failure reaches the meter's `onDeliveryFailure` listener, the `eventsFailed` or `eventsRefused`
 * counter and a warning on the meter's logger; the caller also sees it, through the promise it holds. An event that
 * timed out may still have been written late: its outcome was unknown at its deadline, and the topology counts an
 * event's tokens once whatever reaches it.
 */
export class DeliveryFailedError extends BudgetMeterError {
  constructor(
    message: string,
    /** The reservation (the record key) of the event. */
    readonly reservationId: string,
    /** The sequence number the event has, or would have had, in its stream. */
    readonly seq: number,
    readonly eventType: EventType,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

/** `chunk()` or `usage()` after the stream ended (by a terminal call, `close()` or the meter's close). */
export class StreamEndedError extends BudgetMeterError {}
