import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Decision } from '../../src/decision';
import { BudgetRefusedError, DecisionTimeoutError, DeliveryFailedError } from '../../src/errors';
import { decisionOf } from '../../src/internal/decision-record';
import type { DecisionSource } from '../../src/internal/decision-source';
import { DeliveryReporter } from '../../src/internal/delivery-reporter';
import type { EventSender } from '../../src/internal/event-sender';
import { KafkaMeteredStream } from '../../src/internal/kafka-metered-stream';
import { StreamEvents } from '../../src/internal/stream-events';
import { checkReservation, type StreamReservation } from '../../src/reservation';
import { ALLOWED, EXCEEDED, record } from '../support/decision-records';
import { RecordingSender } from '../support/recording-sender';

/** Decisions the test gives by hand; records when each was expected, counted in events the sender had taken. */
class ScriptedDecisions implements DecisionSource {
  readonly eventsTakenAtExpect: number[] = [];
  readonly forgotten: string[] = [];
  private readonly waiting = new Map<string, { resolve: (d: Decision) => void; reject: (e: Error) => void }>();

  constructor(private readonly sender: RecordingSender) {}

  replyPartition(): Promise<number> {
    return Promise.resolve(2);
  }

  expect(reservation: StreamReservation): Promise<Decision> {
    this.eventsTakenAtExpect.push(this.sender.taken.length);
    const decision = new Promise<Decision>((resolve, reject) => {
      this.waiting.set(reservation.reservationId, { resolve, reject });
    });
    decision.catch(() => undefined);
    return decision;
  }

  forget(reservationId: string): void {
    this.forgotten.push(reservationId);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  decide(reservationId: string, decision: Decision): void {
    this.waiting.get(reservationId)?.resolve(decision);
  }

  fail(reservationId: string, error: Error): void {
    this.waiting.get(reservationId)?.reject(error);
  }
}

describe('a metered stream and its decision', () => {
  let sender: RecordingSender;
  let decisions: ScriptedDecisions;

  function open(caps?: { maxTokens: number }): KafkaMeteredStream {
    const context = {
      sender: sender as unknown as EventSender, events: new StreamEvents('w'),
      reporter: new DeliveryReporter(() => undefined, { warn: () => undefined }, () => 0, true),
      clock: () => 1_000, monotonic: () => 1_000, coalescing: true, chunkIntervalMs: 250, chunkTokenThreshold: 100,
      blockTimeoutMs: 2_000, deliveryTimeoutMs: 60_000, decisions, onEnded: () => undefined,
    };
    const stream = new KafkaMeteredStream(checkReservation({ reservationId: 'r-1', tenant: 'acme',
      actionKind: 'llm.completion', actionName: 'gpt-4o', estimate: 500_000, caps }), context);
    void stream.writeReserve(3_000, 2).catch(() => undefined);
    return stream;
  }

  /** Lets the decision's callbacks run. */
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    sender = new RecordingSender();
    decisions = new ScriptedDecisions(sender);
  });

  it('is expected before the Reserve is taken, and the Reserve names the reply partition', () => {
    open();

    assert.deepEqual(decisions.eventsTakenAtExpect, [0]);
    assert.equal(sender.body(0).reply_partition, 2);
  });

  it('is forgotten when the Reserve is not taken or not written', async () => {
    sender.refuse = true;
    const context = { sender: sender as unknown as EventSender, events: new StreamEvents('w'),
      reporter: new DeliveryReporter(() => undefined, { warn: () => undefined }, () => 0, true), clock: () => 0,
      monotonic: () => 0, coalescing: true, chunkIntervalMs: 250, chunkTokenThreshold: 100, blockTimeoutMs: 2_000,
      deliveryTimeoutMs: 60_000, decisions, onEnded: () => undefined };
    const refused = new KafkaMeteredStream(checkReservation({ reservationId: 'r-refused', tenant: 'acme',
      actionKind: 'k', actionName: 'n', estimate: 1 }), context);
    assert.throws(() => refused.writeReserve(2_000, 0), DeliveryFailedError);

    sender.refuse = false;
    const failed = new KafkaMeteredStream(checkReservation({ reservationId: 'r-failed', tenant: 'acme',
      actionKind: 'k', actionName: 'n', estimate: 1 }), context);
    const written = failed.writeReserve(2_000, 0);
    sender.taken[0].outcome.failed(new DeliveryFailedError('not written', 'r-failed', 0, 'RESERVE'));
    await assert.rejects(written, /not written/);
    assert.deepEqual(decisions.forgotten, ['r-refused', 'r-failed']);
  });

  it('brings its caps: effectiveMaxTokens follows an ALLOW_WITH_CAPS decision once it arrived', async () => {
    const stream = open({ maxTokens: 500 });
    assert.equal(stream.effectiveMaxTokens(1_000), 500, 'the reservation\'s caps until the decision');

    decisions.decide('r-1', decisionOf(record({ decision: 'ALLOW_WITH_CAPS', caps: { max_tokens: 64 } })));
    assert.equal((await stream.decision).decision, 'ALLOW_WITH_CAPS');

    assert.deepEqual(stream.caps, { maxTokens: 64 });
    assert.equal(stream.effectiveMaxTokens(1_000), 64);
    assert.equal(stream.effectiveMaxTokens(10), 10);
  });

  it('after a refusal (OPTIMISTIC), counts each chunk\'s tokens, then throws; usage and the end still work',
    async () => {
      const stream = open();
      stream.chunk(10);
      decisions.decide('r-1', EXCEEDED);
      assert.equal(await stream.decision, EXCEEDED);

      assert.throws(() => stream.chunk(5), (error: unknown) => error instanceof BudgetRefusedError
        && error.message === 'reservation r-1 refused: BUDGET_EXCEEDED on scope tenant:acme/workspace:prod'
        && error.reasonCode === 'BUDGET_EXCEEDED' && error.decision === EXCEEDED);
      stream.usage({ tokensInput: 3, tokensOutput: 15 });
      void stream.complete();

      assert.deepEqual(sender.bodies(), ['0:RESERVE', '1:CHUNK', '2:USAGE', '3:END']);
      assert.equal(sender.body(1).tokens_output, 15, 'the refused call\'s tokens were counted');
      assert.equal(sender.body(3).outcome, 'COMPLETED');
    });

  it('in WAIT mode, a refusal cancels the stream naming the reason, then rejects', async () => {
    const stream = open();
    const waiting = stream.awaitAllowed();
    decisions.decide('r-1', EXCEEDED);

    await assert.rejects(waiting, (error: unknown) => error instanceof BudgetRefusedError
      && error.deniedScope === 'tenant:acme/workspace:prod');
    assert.deepEqual(sender.bodies(), ['0:RESERVE', '1:END']);
    assert.deepEqual(sender.body(1), { outcome: 'CANCELLED', reason: 'refused: BUDGET_EXCEEDED' });
  });

  it('in WAIT mode, no decision in time cancels the stream as "no decision", then rejects with the timeout', async () => {
    const stream = open();
    const waiting = stream.awaitAllowed();
    decisions.fail('r-1', new DecisionTimeoutError('no decision on reservation r-1 within 1 ms', 'p.decisions', 'r-1'));

    await assert.rejects(waiting, DecisionTimeoutError);
    assert.deepEqual(sender.body(1), { outcome: 'CANCELLED', reason: 'no decision' });
    assert.equal(stream.finalized, true);
  });

  it('in WAIT mode, resolves once allowed and the stream goes on', async () => {
    const stream = open();
    const waiting = stream.awaitAllowed();
    decisions.decide('r-1', ALLOWED);

    await waiting;
    await settled();
    stream.chunk(1);
    assert.equal(stream.finalized, false);
    assert.deepEqual(await stream.decision, ALLOWED);
  });
});
