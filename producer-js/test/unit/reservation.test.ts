import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meterSettings } from '../../src/options';
import { checkReservation, effectiveMaxTokens, type StreamReservationOptions } from '../../src/reservation';
import { checkUsage } from '../../src/usage';

const minimal: StreamReservationOptions = { tenant: 'acme', actionKind: 'llm.completion', actionName: 'gpt-4o',
  estimate: 1_000 };

function refused(options: Partial<Record<keyof StreamReservationOptions, unknown>>, message: RegExp): void {
  assert.throws(() => checkReservation({ ...minimal, ...options } as StreamReservationOptions), message);
}

describe('checkReservation', () => {
  it('fills in the protocol defaults and a random UUID, and freezes the result', () => {
    const reservation = checkReservation(minimal);

    assert.match(reservation.reservationId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(reservation.unit, 'USD_MICROCENTS');
    assert.equal(reservation.ttlMs, 60_000);
    assert.equal(reservation.gracePeriodMs, 5_000);
    assert.equal(reservation.overagePolicy, 'ALLOW_IF_AVAILABLE');
    assert.deepEqual(reservation.actionTags, []);
    assert.equal(Object.isFrozen(reservation), true);
  });

  it('names the field and the limit of every refusal', () => {
    refused({ tenant: undefined }, /subject\.tenant is required \(1-128 characters\)/);
    refused({ agent: 'a'.repeat(129) }, /subject\.agent must be at most 128 characters, was 129/);
    refused({ reservationId: 'r'.repeat(201) }, /reservationId must be at most 200 characters/);
    refused({ actionKind: ' ' }, /action\.kind is required/);
    refused({ actionTags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, /action\.tags must hold at most 10 entries/);
    refused({ estimate: -1 }, /estimate must be within 0-9007199254740991, was -1/);
    refused({ estimate: 2 ** 53 }, /estimate must be a safe integer/);
    refused({ estimate: 1.5 }, /estimate must be a safe integer/);
    refused({ unit: 'EUR' }, /unit must be one of USD_MICROCENTS, TOKENS, CREDITS, RISK_POINTS, was EUR/);
    refused({ ttlMs: 999 }, /ttlMs must be within 1000-86400000, was 999/);
    refused({ gracePeriodMs: 60_001 }, /gracePeriodMs must be within 0-60000/);
    refused({ overagePolicy: 'MAYBE' }, /overagePolicy must be one of/);
    refused({ pricing: { inputTokenPrice: -1, outputTokenPrice: 1 } }, /pricing\.inputTokenPrice must be within/);
    refused({ metadata: { run: 7 } }, /metadata\.run must be a string/);
    refused({ caps: { maxTokens: -5 } }, /caps\.maxTokens must be within/);
  });

  it('applies a token cap to the tokens a call may ask for', () => {
    assert.equal(effectiveMaxTokens({ maxTokens: 200 }, 500), 200);
    assert.equal(effectiveMaxTokens({ maxTokens: 200 }, 100), 100);
    assert.equal(effectiveMaxTokens(undefined, 500), 500);
    assert.throws(() => effectiveMaxTokens(undefined, -1), /requested must be within/);
  });
});

describe('checkUsage', () => {
  it('refuses counts that are not safe integers >= 0, naming them', () => {
    assert.throws(() => checkUsage({ tokensInput: -1, tokensOutput: 0 }), /usage\.tokensInput must be within/);
    assert.throws(() => checkUsage({ tokensInput: 1, tokensOutput: Number.NaN }), /usage\.tokensOutput must be a safe/);
    assert.throws(() => checkUsage({ tokensInput: 1, tokensOutput: 1, actual: -3 }), /usage\.actual must be within/);
  });
});

describe('meterSettings', () => {
  const required = { bootstrapServers: '127.0.0.1:9092', schemaRegistryUrl: 'http://127.0.0.1:8081' };

  it('has the Java library defaults', () => {
    const settings = meterSettings(required);

    assert.deepEqual(settings.bootstrapServers, ['127.0.0.1:9092']);
    assert.equal(settings.topicPrefix, 'budget.');
    assert.equal(settings.chunkIntervalMs, 250);
    assert.equal(settings.chunkTokenThreshold, 100);
    assert.equal(settings.blockTimeoutMs, 10_000);
    assert.equal(settings.deliveryTimeoutMs, 60_000);
    assert.equal(settings.coalescing, true);
    assert.match(settings.workerId, /-\d+$/);
  });

  it('names a missing or bad option', () => {
    assert.throws(() => meterSettings({ ...required, bootstrapServers: ' , ' }), /bootstrapServers is required/);
    assert.throws(() => meterSettings({ ...required, schemaRegistryUrl: '' }), /schemaRegistryUrl is required/);
    assert.throws(() => meterSettings({ ...required, deliveryTimeoutMs: 999 }), /deliveryTimeoutMs must be within 1000-/);
    assert.throws(() => meterSettings({ ...required, chunkTokenThreshold: 0 }), /chunkTokenThreshold must be within 1-/);
    assert.throws(() => meterSettings({ ...required, logger: {} as never }), /logger must have a warn/);
    assert.throws(() => meterSettings({ ...required, kafka: { retry: { retries: 0 } } as never }),
      /kafka\.retry cannot be set: the meter sets it/);
  });
});
