import type { Decision } from '../decision';

interface Waiter {
  readonly resolve: (decision: Decision) => void;
  readonly reject: (failure: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * The decisions a meter waits for, by reservation id: each one is expected before its Reserve is written, settled by
 * the first decision read for it, and failed on its own when none came within the timeout. Decisions for
 * reservations not expected (another worker's on the shared reply partition, one read again after a seek, one that
 * came after its timeout) are not for anyone here, and `settle` says so.
 *
 * The promises never count as unhandled rejections: a caller in OPTIMISTIC mode may never look at its decision.
 */
export class PendingDecisions {
  private readonly waiting = new Map<string, Waiter>();

  /**
   * @param timeoutMs how long each expected decision may take, from `expect`
   * @param timedOut  the error of a decision that did not come in time
   */
  constructor(private readonly timeoutMs: number, private readonly timedOut: (reservationId: string) => Error) {}

  /** How many decisions are awaited. */
  get size(): number {
    return this.waiting.size;
  }

  /**
   * Expects the decision on a reservation whose Reserve is about to be written. An earlier expectation of the same id
   * (a stream that ended before its decision came, reserved again) fails with `superseded`.
   */
  expect(reservationId: string, superseded: () => Error): Promise<Decision> {
    if (this.waiting.has(reservationId)) {
      this.fail(reservationId, superseded());
    }
    const decision = new Promise<Decision>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(reservationId, this.timedOut(reservationId)), this.timeoutMs);
      this.waiting.set(reservationId, { resolve, reject, timer });
    });
    decision.catch(() => undefined);
    return decision;
  }

  /** Whether a decision on this reservation is awaited: only those are worth decoding. */
  has(reservationId: string): boolean {
    return this.waiting.has(reservationId);
  }

  /** @returns false when nobody here waits for a decision on this reservation (it is ignored) */
  settle(reservationId: string, decision: Decision): boolean {
    const waiter = this.take(reservationId);
    waiter?.resolve(decision);
    return waiter !== undefined;
  }

  /** @returns false when nobody waited for a decision on this reservation */
  fail(reservationId: string, failure: Error): boolean {
    const waiter = this.take(reservationId);
    waiter?.reject(failure);
    return waiter !== undefined;
  }

  /** The Reserve was not written after all: no decision will come, and nobody waits for one. */
  forget(reservationId: string): void {
    this.take(reservationId);
  }

  /** Fails every awaited decision, each with its own error (the reader stopped, or the meter closed). */
  failAll(failure: (reservationId: string) => Error): void {
    for (const reservationId of [...this.waiting.keys()]) {
      this.fail(reservationId, failure(reservationId));
    }
  }

  private take(reservationId: string): Waiter | undefined {
    const waiter = this.waiting.get(reservationId);
    if (waiter !== undefined) {
      this.waiting.delete(reservationId);
      clearTimeout(waiter.timer);
    }
    return waiter;
  }
}
