import type { Decision } from './decision';

/** The kinds of event a stream writes, in the order they appear in it. */
export type EventType = 'RESERVE' | 'CHUNK' | 'USAGE' | 'END';

/**
 * An event could not be written, a call came at the wrong time, or the budget ledger refused or did not answer.
 * Carried by the promises of `reserveForStream`, the terminal calls and `flush`, always within the meter's
 * configured bounds. Every error the meter raises is one of its subclasses, except the TypeError or RangeError of a
 * bad argument.
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

/**
 * The budget authority refused a reservation: nothing is held for it. Names the reservation, the reason code and,
 * when one budget refused, its scope, for example `reservation r-1 refused: BUDGET_EXCEEDED on scope tenant:acme`.
 * `reserveForStream` rejects with it in WAIT mode (after cancelling the stream); in OPTIMISTIC mode `chunk()` throws
 * it after a refusal, once it counted the call's tokens.
 */
export class BudgetRefusedError extends BudgetMeterError {
  /** Why, as the protocol names it; `DENY` when the authority gave no code. */
  readonly reasonCode: string;
  readonly deniedScope: string | undefined;

  constructor(
    readonly reservationId: string,
    /** The refusal itself. */
    readonly decision: Decision,
  ) {
    const reasonCode = decision.reasonCode ?? 'DENY';
    super(`reservation ${reservationId} refused: ${reasonCode}${
      decision.deniedScope === undefined ? '' : ` on scope ${decision.deniedScope}`}`);
    this.reasonCode = reasonCode;
    this.deniedScope = decision.deniedScope;
  }
}

/**
 * No decision on a reservation arrived within the meter's decision timeout, the decisions topic could not be read
 * within the block timeout (missing, unreachable, no such reply partition: the message names the topic and the
 * last problem), reading it failed, or the meter closed while a decision was awaited. In WAIT mode the meter then
 * cancels the stream (its End tells the topology to release whatever the ledger holds for it later), so nothing
 * leaks. `reservationId` is absent when the topic could not be read before any Reserve was written.
 */
export class DecisionTimeoutError extends BudgetMeterError {
  constructor(
    message: string,
    /** The decisions topic. */
    readonly topic: string,
    readonly reservationId?: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}
