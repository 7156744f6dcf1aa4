import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecisionTimeoutError } from '../../src/errors';
import { decisionOf, externalDecision, UNKNOWN_DECISION } from '../../src/internal/decision-record';
import { PendingDecisions } from '../../src/internal/pending-decisions';
import { defaultReplyPartition } from '../../src/internal/reply-partition';
import { meterSettings } from '../../src/options';
import { checkReservation } from '../../src/reservation';
import { ALLOWED, EXCEEDED, record } from '../support/decision-records';

describe('the ledger\'s Decision record as the public type', () => {
  it('maps each kind with its reason, scope, caps, affected scopes and expiry', () => {
    assert.deepEqual(decisionOf(record({ affected_scopes: ['tenant:acme', 'tenant:acme/workspace:prod'],
      expires_at_ms: 1_700_000_060_000 })), { decision: 'ALLOW', allowed: true,
      affectedScopes: ['tenant:acme', 'tenant:acme/workspace:prod'], expiresAtMs: 1_700_000_060_000 });
    assert.deepEqual(decisionOf(record({ decision: 'ALLOW_WITH_CAPS', caps: { max_tokens: 64,
      max_steps_remaining: null, tool_allowlist: [], tool_denylist: null, cooldown_ms: 250 } })),
    { decision: 'ALLOW_WITH_CAPS', allowed: true, caps: { maxTokens: 64, toolAllowlist: [], cooldownMs: 250 },
      affectedScopes: [] });
    assert.deepEqual(EXCEEDED, { decision: 'DENY', allowed: false, reasonCode: 'BUDGET_EXCEEDED',
      deniedScope: 'tenant:acme/workspace:prod', affectedScopes: [] });
    assert.equal(Object.isFrozen(EXCEEDED), true);
  });

  it('reads the schema\'s UNKNOWN, and a kind added after this library, as a refusal, not a guess', () => {
    assert.deepEqual(decisionOf(record({ decision: 'UNKNOWN' })), { decision: 'DENY', allowed: false,
      reasonCode: UNKNOWN_DECISION, affectedScopes: [] });
    const newer = decisionOf(record({ decision: 'ALLOW_LATER', reason_code: 'QUEUED' }));
    assert.equal(newer.allowed, false);
    assert.equal(newer.reasonCode, 'QUEUED');
  });

  it('is allowed with the reservation\'s caps when an authority outside decided (EXTERNAL)', () => {
    const base = { tenant: 'acme', actionKind: 'llm.completion', actionName: 'gpt-4o', estimate: 1 };
    assert.deepEqual(externalDecision(checkReservation(base)), { decision: 'ALLOW', allowed: true,
      affectedScopes: [] });
    assert.deepEqual(externalDecision(checkReservation({ ...base, caps: { maxTokens: 10 }, expiresAtMs: 5 })),
      { decision: 'ALLOW_WITH_CAPS', allowed: true, caps: { maxTokens: 10, maxStepsRemaining: undefined,
        toolAllowlist: undefined, toolDenylist: undefined, cooldownMs: undefined }, affectedScopes: [],
      expiresAtMs: 5 });
  });
});

describe('the default reply partition', () => {
  it('is Kafka\'s murmur2 of the worker id modulo the partitions, as the Java library computes it', () => {
    // Computed with kafka-clients 4.3.1: Utils.toPositive(Utils.murmur2(workerId.getBytes(UTF_8))) % partitions.
    const java: Array<[string, number, number]> = [
      ['node-interop-worker', 3, 0], ['node-interop-worker', 7, 4], ['node-interop-worker', 12, 9],
      ['worker-1', 3, 2], ['worker-1', 7, 3], ['host-4242', 3, 1], ['host-4242', 7, 6], ['host-4242', 12, 4],
      ['ü-worker', 7, 5], ['a-little-bit-long-string', 12, 8], ['worker-1', 1, 0],
    ];
    for (const [workerId, partitions, expected] of java) {
      assert.equal(defaultReplyPartition(workerId, partitions), expected, `${workerId} over ${partitions}`);
    }
  });
});

describe('the decisions a meter waits for', () => {
  const timedOut = (id: string) => new DecisionTimeoutError(`no decision on ${id}`, 'p.decisions', id);
  const superseded = () => new Error('superseded');

  it('settles an expected decision once, and says when a decision is for nobody here', async () => {
    const pending = new PendingDecisions(60_000, timedOut);
    const decision = pending.expect('r-1', superseded);

    assert.equal(pending.has('r-1'), true);
    assert.equal(pending.settle('someone-elses', ALLOWED), false);
    assert.equal(pending.settle('r-1', ALLOWED), true);
    assert.equal(pending.settle('r-1', EXCEEDED), false, 'a decision read again is ignored');
    assert.equal(await decision, ALLOWED);
    assert.equal(pending.size, 0);
  });

  it('fails each expected decision at its own timeout, leaving the others waiting', async () => {
    const pending = new PendingDecisions(20, timedOut);
    const late = pending.expect('late', superseded);
    const answered = pending.expect('answered', superseded);
    pending.settle('answered', ALLOWED);

    await assert.rejects(late, (error: unknown) => error instanceof DecisionTimeoutError
      && error.reservationId === 'late');
    assert.equal(await answered, ALLOWED);
    assert.equal(pending.settle('late', ALLOWED), false, 'a decision after its timeout is for nobody');
  });

  it('forgets a reservation whose Reserve was not written, and fails all at close', async () => {
    const pending = new PendingDecisions(60_000, timedOut);
    void pending.expect('unwritten', superseded);
    const open = pending.expect('open', superseded);

    pending.forget('unwritten');
    assert.equal(pending.has('unwritten'), false);
    pending.failAll((id) => new DecisionTimeoutError(`${id}: the meter is closed`, 'p.decisions', id));
    await assert.rejects(open, /open: the meter is closed/);
    assert.equal(pending.size, 0);
  });

  it('fails an earlier expectation of the same reservation id when it is expected again', async () => {
    const pending = new PendingDecisions(60_000, timedOut);
    const first = pending.expect('r-1', superseded);
    const second = pending.expect('r-1', superseded);

    await assert.rejects(first, /superseded/);
    pending.settle('r-1', ALLOWED);
    assert.equal(await second, ALLOWED);
  });
});

describe('the decision options of a meter', () => {
  const base = { bootstrapServers: 'k:9092', schemaRegistryUrl: 'http://r' };

  it('default to EXTERNAL with a 10 s timeout and the hashed reply partition', () => {
    const settings = meterSettings(base);
    assert.equal(settings.decisions, 'EXTERNAL');
    assert.equal(settings.decisionTimeoutMs, 10_000);
    assert.equal(settings.replyPartition, undefined);
  });

  it('name a bad value and its limits', () => {
    assert.throws(() => meterSettings({ ...base, decisions: 'LATER' as never }),
      /decisions must be one of EXTERNAL, WAIT, OPTIMISTIC, was LATER/);
    assert.throws(() => meterSettings({ ...base, decisionTimeoutMs: 0 }), /decisionTimeoutMs must be within 1-/);
    assert.throws(() => meterSettings({ ...base, replyPartition: -1 }), /replyPartition must be within 0-/);
    assert.equal(meterSettings({ ...base, decisions: 'WAIT', replyPartition: 0 }).replyPartition, 0);
  });
});
