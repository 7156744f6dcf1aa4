import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import avro from 'avsc';
import { LIBRARY_VERSION, STREAM_EVENT_SCHEMA_FILE_TEXT, STREAM_EVENT_SCHEMA_VERSION }
  from '../../src/generated/build-info';
import { STREAM_EVENT_SCHEMA_TEXT } from '../../src/internal/stream-event-serde';
import { StreamEvents, type EventBody } from '../../src/internal/stream-events';
import { checkReservation } from '../../src/reservation';

/** The repository's published versions, next to this package (dist/test/unit -> producer-js -> ../schemas). */
const PUBLISHED = join(__dirname, '..', '..', '..', '..', 'schemas', 'published', 'StreamEvent');
const schema = avro.Type.forSchema(JSON.parse(STREAM_EVENT_SCHEMA_TEXT));

function roundTrip(body: EventBody): Record<string, unknown> {
  const record = new StreamEvents('worker-1').envelope('r-1', 3, 1_700_000_000_000, body);
  const errors: string[] = [];
  assert.equal(schema.isValid(record, { errorHook: (path) => errors.push(path.join('.')) }), true, errors.join(', '));
  // Plain objects: avsc decodes records as instances of classes of its own.
  return JSON.parse(JSON.stringify(schema.fromBuffer(schema.toBuffer(record)))) as Record<string, unknown>;
}

describe('the StreamEvent contract', () => {
  it('is the newest published schema file, as the build copied it', () => {
    const newest = Math.max(...readdirSync(PUBLISHED).map((name) => Number(/^v(\d+)\.avsc$/.exec(name)?.[1] ?? 0)));

    assert.equal(STREAM_EVENT_SCHEMA_VERSION, newest);
    assert.equal(STREAM_EVENT_SCHEMA_FILE_TEXT, readFileSync(join(PUBLISHED, `v${newest}.avsc`), 'utf8'));
    assert.deepEqual(JSON.parse(STREAM_EVENT_SCHEMA_TEXT), JSON.parse(STREAM_EVENT_SCHEMA_FILE_TEXT));
  });

  it('carries a Reserve with every option in the schema\'s own fields', () => {
    const reservation = checkReservation({
      reservationId: 'r-1', tenant: 'acme', workspace: 'prod', agent: 'bot', dimensions: { region: 'eu' },
      actionKind: 'llm.completion', actionName: 'gpt-4o', actionTags: ['chat'], estimate: 500_000, ttlMs: 120_000,
      gracePeriodMs: 0, overagePolicy: 'REJECT', expiresAtMs: 1_700_000_120_000, caps: { maxTokens: 400 },
      pricing: { inputTokenPrice: 250, outputTokenPrice: 1_000 }, metadata: { run: 'r7' },
    });

    const event = roundTrip(StreamEvents.reserve(reservation));

    assert.equal(event.seq, 3);
    assert.deepEqual(event.producer, { worker_id: 'worker-1', library_version: LIBRARY_VERSION });
    assert.deepEqual(event.body, { 'dev.budgetmeter.schemas.Reserve': {
      idempotency_key: 'r-1:reserve',
      subject: { tenant: 'acme', workspace: 'prod', app: null, workflow: null, agent: 'bot', toolset: null,
        dimensions: { region: 'eu' } },
      action: { kind: 'llm.completion', name: 'gpt-4o', tags: ['chat'] },
      estimate: { unit: 'USD_MICROCENTS', amount: 500_000 },
      ttl_ms: 120_000, grace_period_ms: 0, overage_policy: 'REJECT', expires_at_ms: 1_700_000_120_000,
      caps: { max_tokens: 400, max_steps_remaining: null, tool_allowlist: null, tool_denylist: null,
        cooldown_ms: null },
      pricing: { input_token_price: 250, output_token_price: 1_000 },
      metadata: { run: 'r7' },
      reply_partition: null,
    } });
  });

  it('carries chunks, usage in the estimate\'s unit, and ends', () => {
    assert.deepEqual(roundTrip(StreamEvents.chunk({ outputTokens: 40, inputTokens: 2, chunks: 40 })).body,
      { 'dev.budgetmeter.schemas.Chunk': { tokens_output: 40, tokens_input: 2, chunks: 40 } });
    assert.deepEqual(roundTrip(StreamEvents.usage({ tokensInput: 8, tokensOutput: 320, actual: 322_000,
      modelVersion: 'gpt-4o-2024-08-06', custom: { cached: '0' } }, 'CREDITS')).body,
    { 'dev.budgetmeter.schemas.Usage': { tokens_input: 8, tokens_output: 320,
      actual: { unit: 'CREDITS', amount: 322_000 }, model_version: 'gpt-4o-2024-08-06', custom: { cached: '0' } } });
    assert.deepEqual(roundTrip(StreamEvents.end('FAILED', 'Error: reset')).body,
      { 'dev.budgetmeter.schemas.End': { outcome: 'FAILED', reason: 'Error: reset' } });
    assert.deepEqual(roundTrip(StreamEvents.end('COMPLETED', undefined)).body,
      { 'dev.budgetmeter.schemas.End': { outcome: 'COMPLETED', reason: null } });
  });

  it('gives every event its own id', () => {
    const events = new StreamEvents('w');
    const body = StreamEvents.end('COMPLETED', undefined);

    assert.notEqual(events.envelope('r', 0, 0, body).event_id, events.envelope('r', 0, 0, body).event_id);
  });
});
