import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { DeliveryFailedError, StreamEndedError } from '../../src/errors';
import { DeliveryReporter } from '../../src/internal/delivery-reporter';
import { EXTERNAL_DECISIONS } from '../../src/internal/decision-source';
import type { EventSender } from '../../src/internal/event-sender';
import { KafkaMeteredStream, type StreamContext } from '../../src/internal/kafka-metered-stream';
import { StreamEvents } from '../../src/internal/stream-events';
import { checkReservation } from '../../src/reservation';
import { RecordingSender } from '../support/recording-sender';

describe('a metered stream', () => {
  let sender: RecordingSender;
  let now: number;
  let ended: KafkaMeteredStream[];

  function open(coalescing = true): KafkaMeteredStream {
    const context: StreamContext = {
      sender: sender as unknown as EventSender, events: new StreamEvents('w'),
      reporter: new DeliveryReporter(() => undefined, { warn: () => undefined }, () => now, coalescing),
      clock: () => now, monotonic: () => now, coalescing, chunkIntervalMs: 250, chunkTokenThreshold: 100,
      blockTimeoutMs: 2_000, deliveryTimeoutMs: 60_000, decisions: EXTERNAL_DECISIONS,
      onEnded: (stream) => ended.push(stream),
    };
    const stream = new KafkaMeteredStream(checkReservation({ reservationId: 'r-1', tenant: 'acme',
      actionKind: 'llm.completion', actionName: 'gpt-4o', estimate: 500_000 }), context);
    void stream.writeReserve(now + 2_000).catch(() => undefined);
    return stream;
  }

  beforeEach(() => {
    sender = new RecordingSender();
    now = 1_000;
    ended = [];
  });

  it('numbers its events 0, 1, 2, ... in call order: Reserve, chunks, usage, End', async () => {
    const stream = open();
    for (let i = 0; i < 250; i++) {
      stream.chunk(1);
    }
    stream.usage({ tokensInput: 8, tokensOutput: 250 });
    const done = stream.complete();
    sender.deliverAll();
    await done;

    assert.deepEqual(sender.bodies(), ['0:RESERVE', '1:CHUNK', '2:CHUNK', '3:CHUNK', '4:USAGE', '5:END']);
    assert.deepEqual([1, 2, 3].map((i) => sender.body(i).tokens_output), [100, 100, 50]);
    assert.deepEqual([sender.taken[0].boundMs, sender.taken[0].deadline], [2_000, 3_000]);
    assert.deepEqual([sender.taken[5].boundMs, sender.taken[5].deadline], [60_000, 61_000]);
  });

  it('coalesces a burst of one-token chunks into events with exact sums', () => {
    const stream = open();

    for (let i = 0; i < 1_000; i++) {
      stream.chunk(1, i === 0 ? 12 : 0);
    }
    void stream.complete();

    const chunks = sender.taken.map((_, i) => sender.body(i)).filter((_, i) => sender.taken[i].type === 'CHUNK');
    assert.ok(chunks.length >= 1 && chunks.length <= 11, `${chunks.length} chunk events`);
    assert.equal(chunks.reduce((sum, chunk) => sum + (chunk.tokens_output as number), 0), 1_000);
    assert.equal(chunks.reduce((sum, chunk) => sum + (chunk.tokens_input as number), 0), 12);
    assert.equal(chunks.reduce((sum, chunk) => sum + (chunk.chunks as number), 0), 1_000);
  });

  it('writes a chunk that waited the interval when the meter\'s timer looks, not before', () => {
    const stream = open();
    stream.chunk(3);

    now += 249;
    stream.takeIfDue();
    assert.deepEqual(sender.bodies(), ['0:RESERVE']);
    now += 1;
    stream.takeIfDue();
    assert.deepEqual(sender.bodies(), ['0:RESERVE', '1:CHUNK']);
    assert.equal(sender.taken[1].record.occurred_at, 1_250);
  });

  it('lets the first terminal call win; later ones return the same promise and chunk() throws', async () => {
    const stream = open();
    const completed = stream.complete();

    assert.equal(stream.fail(new Error('late')), completed);
    assert.equal(stream.cancel('late'), completed);
    assert.equal(stream.finalized, true);
    assert.throws(() => stream.chunk(1), StreamEndedError);
    assert.throws(() => stream.usage({ tokensInput: 1, tokensOutput: 1 }),
      /usage\(\) on reservation r-1 after the stream ended \(COMPLETED\)/);
    assert.deepEqual(ended, [stream]);
    assert.deepEqual(sender.bodies(), ['0:RESERVE', '1:END']);
  });

  it('commits like the Cycles client: the usage, then the End; token totals default to the chunk sums', () => {
    const stream = open();
    stream.chunk(30, 5);

    void stream.commit(31_250);

    assert.deepEqual(sender.bodies(), ['0:RESERVE', '1:CHUNK', '2:USAGE', '3:END']);
    assert.deepEqual(sender.body(2), { tokens_input: 5, tokens_output: 30,
      actual: { unit: 'USD_MICROCENTS', amount: 31_250 }, model_version: null, custom: {} });
    assert.deepEqual(sender.body(3), { outcome: 'COMPLETED', reason: null });
  });

  it('rejects a commit with a bad field and stays open', async () => {
    const stream = open();

    await assert.rejects(stream.commit(-5), /usage\.actual must be within 0-/);
    assert.equal(stream.finalized, false);
    stream.chunk(1);
  });

  it('ends failed with the cause, cancelled with the reason, and closed without completion', () => {
    const failed = open();
    void failed.fail(new TypeError('provider connection reset'));
    assert.deepEqual(sender.body(1), { outcome: 'FAILED', reason: 'TypeError: provider connection reset' });

    sender = new RecordingSender();
    const closed = open();
    closed.close();
    closed.close();
    assert.deepEqual(sender.bodies(), ['0:RESERVE', '1:END']);
    assert.deepEqual(sender.body(1), { outcome: 'FAILED', reason: 'closed without completion' });
  });

  it('rejects its terminal promise with the first event that failed, once the End settled', async () => {
    const stream = open();
    stream.usage({ tokensInput: 1, tokensOutput: 1 });
    const done = stream.complete();
    const failure = new DeliveryFailedError('USAGE (seq 1) was not written', 'r-1', 1, 'USAGE');

    sender.taken[0].outcome.delivered();
    sender.taken[1].outcome.failed(failure);
    sender.taken[2].outcome.delivered();

    await assert.rejects(done, (error) => error === failure);
  });

  it('keeps refused chunk tokens for the next event, and a refused End rejects the promise at once', async () => {
    const stream = open();
    sender.refuse = true;
    for (let i = 0; i < 100; i++) {
      stream.chunk(1);
    }
    sender.refuse = false;
    stream.chunk(1);
    assert.equal(sender.body(1).tokens_output, 101);

    sender.refuse = true;
    await assert.rejects(stream.complete(), DeliveryFailedError);
  });

  it('without coalescing, takes one chunk event per call', () => {
    const stream = open(false);
    stream.chunk(2);
    stream.chunk(3);

    assert.deepEqual(sender.bodies(), ['0:RESERVE', '1:CHUNK', '2:CHUNK']);
    assert.equal(sender.body(2).tokens_output, 3);
  });

  it('refuses negative or fractional counts, naming them', () => {
    const stream = open();

    assert.throws(() => stream.chunk(-1), /outputTokens must be within 0-/);
    assert.throws(() => stream.chunk(1, 0.5), /inputTokens must be a safe integer/);
  });
});
