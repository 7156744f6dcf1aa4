import type { Decision } from '../decision';
import type { StreamReservation } from '../reservation';
import { externalDecision } from './decision-record';

/**
 * Where a meter's streams get their decisions: from an authority outside that decided before the stream was
 * reserved, or from the budget ledger's decisions topic. A decision is expected before its Reserve is written, so
 * none can come unexpected.
 */
export interface DecisionSource {
  /**
   * The partition of the decisions topic the Reserve names for its answer, once the meter reads it from a position
   * fixed before this call returns; undefined when no decision is read (EXTERNAL).
   *
   * @param deadline on the meter's monotonic clock
   * @throws DecisionTimeoutError (rejects) when the decisions topic cannot be read by the deadline, naming it
   */
  replyPartition(deadline: number): Promise<number | undefined>;

  /** Expects the decision on a reservation whose Reserve is about to be written. Never an unhandled rejection. */
  expect(reservation: StreamReservation): Promise<Decision>;

  /** The Reserve was not written after all: no decision will come, and nobody waits for one. */
  forget(reservationId: string): void;

  /** Stops reading within `timeoutMs`; decisions still awaited fail with a DecisionTimeoutError. */
  close(timeoutMs: number): Promise<void>;
}

/** The decisions of an outside authority (EXTERNAL): every reservation was decided as it describes. */
export const EXTERNAL_DECISIONS: DecisionSource = Object.freeze({
  replyPartition: () => Promise.resolve(undefined),
  expect: (reservation: StreamReservation) => Promise.resolve(externalDecision(reservation)),
  forget: () => undefined,
  close: () => Promise.resolve(),
});
