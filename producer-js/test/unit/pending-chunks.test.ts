import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamEndedError } from '../../src/errors';
import { PendingChunks } from '../../src/internal/pending-chunks';

describe('PendingChunks', () => {
  it('is due once it holds the token threshold, input and output together', () => {
    const pending = new PendingChunks(250, 10);

    assert.equal(pending.add(4, 0, 1_000), false);
    assert.equal(pending.add(3, 2, 1_001), false);
    assert.equal(pending.add(1, 0, 1_002), true);
    assert.deepEqual(pending.drain(1_003), { outputTokens: 8, inputTokens: 2, chunks: 3, oldestAtMs: 1_000,
      drainedAtMs: 1_003 });
  });

  it('is due once its oldest token waited the interval, counted from the oldest chunk', () => {
    const pending = new PendingChunks(250, 1_000);
    pending.add(1, 0, 1_000);
    pending.add(1, 0, 1_200);

    assert.equal(pending.isDue(1_249), false);
    assert.equal(pending.isDue(1_250), true);
  });

  it('is never due empty, and a drain takes everything', () => {
    const pending = new PendingChunks(1, 1);

    assert.equal(pending.isDue(10_000), false);
    assert.equal(pending.drain(10_000), undefined);
    pending.add(5, 0, 0);
    pending.drain(1);
    assert.equal(pending.drain(2), undefined);
  });

  it('puts a refused drain back so its tokens go with the next event, keeping the oldest time', () => {
    const pending = new PendingChunks(250, 1_000);
    pending.add(3, 1, 1_000);
    const refused = pending.drain(1_010);
    pending.add(2, 0, 1_020);

    pending.restore(refused!);

    assert.deepEqual(pending.drain(1_030), { outputTokens: 5, inputTokens: 1, chunks: 2, oldestAtMs: 1_000,
      drainedAtMs: 1_030 });
  });

  it('refuses chunks after the end, naming how the stream ended', () => {
    const pending = new PendingChunks(250, 100);
    pending.add(7, 0, 0);

    assert.equal(pending.drainAndEnd('COMPLETED', 1)?.outputTokens, 7);
    assert.throws(() => pending.add(1, 0, 2), (error: unknown) => error instanceof StreamEndedError
      && /chunk\(\) after the end: COMPLETED/.test(error.message));
  });
});
