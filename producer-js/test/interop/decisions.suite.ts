import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { createBudgetMeter, type BudgetMeter } from '../../src/budget-meter';
import { BudgetRefusedError, DecisionTimeoutError } from '../../src/errors';
import { GPT_4O } from '../../src/example/streaming-worker';
import type { MeteredStream } from '../../src/metered-stream';
import type { StreamReservationOptions } from '../../src/reservation';
import { setBudgets, type BudgetToSet } from '../support/budgets';
import { closedPort } from '../support/closed-port';
import { bodyOf, TopicReader, type ReadRecord } from '../support/topic-reader';
import { context, onlyTerminal, PREFIX, terminalCommands } from './context';

/** One tenant per test, so that each one's budget and decision are its own. */
const BUDGETS: readonly BudgetToSet[] = [
  { scope: 'tenant:node-wait', allocated: 100_000_000 },
  { scope: 'tenant:node-capped', allocated: 100_000_000, maxTokens: 64 },
  { scope: 'tenant:node-refused', allocated: 10_000 },
  { scope: 'tenant:node-optimistic', allocated: 10_000 },
];
/** The WAIT meter's worker id, and its partition of the 3-partition decisions topic as Kafka's Java client gives it. */
const WAIT_WORKER = 'node-ledger-worker';
const WAIT_WORKER_PARTITION = 1;
/** A prefix whose topics exist but which no topology reads: nobody decides its Reserves. */
const UNANSWERED = 'nodeunanswered.';
const BOUND_MS = 2_000;
/** Slack for a loaded two-core machine: these assert a bound on waiting, not a speed. */
const MARGIN_MS = 5_000;
const quiet = { warn: () => undefined };

function call(tenant: string, estimate: number, extra: Partial<StreamReservationOptions> = {}): StreamReservationOptions {
  return { tenant, agent: 'ledger-agent', actionKind: 'llm.completion', actionName: 'gpt-4o', estimate,
    pricing: GPT_4O, ttlMs: 120_000, ...extra };
}

/** The latest balance of a budget on the compacted balances topic, once `done` holds for it. */
async function balance(balances: TopicReader, scope: string, done: (fields: any) => boolean): Promise<any> {
  const latest = () => balances.of([`${scope}|USD_MICROCENTS`]).at(-1)?.value;
  await balances.until(`the balance of ${scope}`, () => latest() !== undefined && done(latest()));
  return latest();
}

function events(reservationId: string): ReadRecord[] {
  return context.streamEvents.of([reservationId]);
}

async function ended(reader: TopicReader, reservationId: string): Promise<any> {
  await reader.until(`the End of ${reservationId}`, (records) => records.some((record) =>
    record.key === reservationId && bodyOf(record.value).kind === 'End'));
  return bodyOf(reader.of([reservationId]).find((record) => bodyOf(record.value).kind === 'End')!.value).fields;
}

/**
 * The budget ledger's decisions (the stack runs with `metering.authority=LEDGER`): streams that wait for them,
 * optimistic ones, caps, refusals and timeouts, on the real topics.
 */
export function decisionsSuite(): void {
  describe('with the budget ledger\'s decisions', () => {
    let waiting: BudgetMeter;
    let decisions: TopicReader;
    let balances: TopicReader;
    /** The stream-events topic of the prefix nobody decides. */
    let unanswered: TopicReader;

    before(async () => {
      // Readers and budgets in parallel: each reader's group join costs seconds on a loaded machine.
      [decisions, balances, unanswered] = await Promise.all([
        TopicReader.start(context.stack.bootstrapServers, context.stack.schemaRegistryUrl, `${PREFIX}decisions`),
        (async () => {
          const reader = await TopicReader.start(context.stack.bootstrapServers, context.stack.schemaRegistryUrl,
            `${PREFIX}balances`);
          // Budgets are data: operations on the budget-operations topic, as `budget-meter budgets set` writes them
          // (the cli's own tests cover the command; a JVM start per budget would cost more than these tests), applied
          // once the ledger wrote their balances.
          await setBudgets(context.stack.bootstrapServers, context.stack.schemaRegistryUrl, PREFIX, BUDGETS);
          await reader.until('the budgets set', (records) => BUDGETS.every((budget) =>
            records.some((record) => record.key === `${budget.scope}|USD_MICROCENTS`)));
          return reader;
        })(),
        (async () => {
          const admin = new Kafka({ brokers: [context.stack.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
          await admin.connect();
          await admin.createTopics({ waitForLeaders: true, topics: ['stream-events', 'decisions'].map((name) => ({
            topic: `${UNANSWERED}${name}`, numPartitions: 3, replicationFactor: 1 })) });
          await admin.disconnect();
          return TopicReader.start(context.stack.bootstrapServers, context.stack.schemaRegistryUrl,
            `${UNANSWERED}stream-events`);
        })(),
      ]);
      waiting = createBudgetMeter({ bootstrapServers: context.stack.bootstrapServers,
        schemaRegistryUrl: context.stack.schemaRegistryUrl, topicPrefix: PREFIX, workerId: WAIT_WORKER,
        decisions: 'WAIT' });
    });

    after(async () => {
      await waiting?.close();
      await Promise.all([decisions?.stop(), balances?.stop(), unanswered?.stop()]);
    });

    it('WAIT: resolves once allowed, in the meter\'s reply partition, and the commit is exact on the budget',
      async () => {
        const stream = await waiting.reserveForStream(call('node-wait', 500 * 1_000));

        const decision = await stream.decision;
        assert.equal(decision.decision, 'ALLOW');
        assert.deepEqual(decision.affectedScopes, ['tenant:node-wait']);
        for (let token = 0; token < 320; token++) {
          stream.chunk(1, token === 0 ? 8 : 0);
        }
        await stream.commit(undefined, { tokensInput: 8, tokensOutput: 320 });

        const commit = onlyTerminal(await terminalCommands([stream.reservationId]), stream.reservationId);
        assert.equal(commit.kind, 'Commit');
        assert.deepEqual(commit.fields.actual, { unit: 'USD_MICROCENTS', amount: 8 * 250 + 320 * 1_000 });
        const budget = await balance(balances, 'tenant:node-wait', (fields) => fields.spent > 0);
        assert.deepEqual([budget.allocated, budget.reserved, budget.spent], [100_000_000, 0, 322_000]);
        // The Reserve named the partition Kafka's Java partitioner gives the worker id, and the decision is there;
        // the hold expires a ttl after the Reserve.
        const reserveEvent = events(stream.reservationId)[0].value;
        assert.equal(bodyOf(reserveEvent).fields.reply_partition, WAIT_WORKER_PARTITION);
        assert.equal(decision.expiresAtMs, (reserveEvent.occurred_at as number) + 120_000);
        await decisions.until('its decision', (records) => records.some((r) => r.key === stream.reservationId));
        assert.deepEqual(decisions.of([stream.reservationId]).map((record) => record.partition),
          [WAIT_WORKER_PARTITION]);
      });

    it('ALLOW_WITH_CAPS: the budget\'s token cap bounds effectiveMaxTokens', async () => {
      const stream = await waiting.reserveForStream(call('node-capped', 1_000 * 1_000));

      assert.equal((await stream.decision).decision, 'ALLOW_WITH_CAPS');
      assert.deepEqual(stream.caps, { maxTokens: 64 });
      const granted = stream.effectiveMaxTokens(1_000);
      assert.equal(granted, 64);
      assert.equal(stream.effectiveMaxTokens(10), 10);
      stream.chunk(granted, 5);
      await stream.commit();

      const commit = onlyTerminal(await terminalCommands([stream.reservationId]), stream.reservationId);
      assert.deepEqual(commit.fields.actual, { unit: 'USD_MICROCENTS', amount: 5 * 250 + 64 * 1_000 });
    });

    it('a refusal rejects naming reason and scope, and the stream is cancelled so nothing stays held', async () => {
      const reservationId = `refused-${Date.now()}`;

      await assert.rejects(waiting.reserveForStream(call('node-refused', 50_000, { reservationId })),
        (error: unknown) => {
          assert.ok(error instanceof BudgetRefusedError, String(error));
          assert.equal(error.message, `reservation ${reservationId} refused: BUDGET_EXCEEDED on scope`
            + ' tenant:node-refused');
          assert.equal(error.reasonCode, 'BUDGET_EXCEEDED');
          assert.equal(error.decision.allowed, false);
          return true;
        });
      assert.equal(waiting.metrics().streamsOpen, 0);

      assert.deepEqual(await ended(context.streamEvents, reservationId), { outcome: 'CANCELLED',
        reason: 'refused: BUDGET_EXCEEDED' });
      const budget = await balance(balances, 'tenant:node-refused', () => true);
      assert.deepEqual([budget.reserved, budget.spent], [0, 0]);
    });

    it('OPTIMISTIC: streams at once; after a refusal chunks are counted, then refused, and the tokens charged',
      async () => {
        const meter = createBudgetMeter({ bootstrapServers: context.stack.bootstrapServers,
          schemaRegistryUrl: context.stack.schemaRegistryUrl, topicPrefix: PREFIX, workerId: 'node-optimistic-worker',
          decisions: 'OPTIMISTIC' });
        let stream: MeteredStream | undefined;
        try {
          stream = await meter.reserveForStream(call('node-optimistic', 50_000));
          stream.chunk(10, 4);

          const decision = await stream.decision;
          assert.equal(decision.reasonCode, 'BUDGET_EXCEEDED');
          assert.throws(() => stream!.chunk(5), (error: unknown) => error instanceof BudgetRefusedError
            && /refused: BUDGET_EXCEEDED on scope tenant:node-optimistic$/.test(error.message));
          await stream.commit(undefined, { tokensInput: 4, tokensOutput: 15 });
        } finally {
          await meter.close();
        }

        const id = stream.reservationId;
        assert.deepEqual(await ended(context.streamEvents, id), { outcome: 'COMPLETED', reason: null });
        const chunks = events(id).filter((record) => bodyOf(record.value).kind === 'Chunk');
        assert.equal(chunks.reduce((sum, record) => sum + bodyOf(record.value).fields.tokens_output, 0), 15,
          'the refused call\'s tokens were written');
        // Spend is spend: the refused reservation's usage is charged by Debits, never committed.
        const expected = 4 * 250 + 15 * 1_000;
        const debits = () => context.commands.of([id]).filter((record) => bodyOf(record.value).kind === 'Debit');
        await context.commands.until(`the Debits of ${id}`, () => debits().reduce((sum, record) =>
          sum + bodyOf(record.value).fields.actual.amount, 0) >= expected);
        assert.equal(debits().reduce((sum, record) => sum + bodyOf(record.value).fields.actual.amount, 0), expected);
        assert.deepEqual(new Set(debits().map((record) => bodyOf(record.value).fields.reason)),
          new Set(['unauthorized_usage']));
        assert.deepEqual(context.commands.of([id]).filter((record) => ['Commit', 'Release']
          .includes(bodyOf(record.value).kind)), []);
      });

    it('a meter ignores the decisions of another meter on its reply partition', async () => {
      const meters = [0, 1].map((i) => createBudgetMeter({ bootstrapServers: context.stack.bootstrapServers,
        schemaRegistryUrl: context.stack.schemaRegistryUrl, topicPrefix: PREFIX, workerId: `node-shared-${i}`,
        decisions: 'WAIT', replyPartition: 2 }));
      try {
        const streams = await Promise.all(meters.flatMap((meter) => [1, 2].map(() =>
          meter.reserveForStream(call('node-wait', 1_000)))));

        for (const stream of streams) {
          assert.equal((await stream.decision).allowed, true);
          await stream.cancel('done');
        }
        await decisions.until('their decisions', (records) => streams.every((stream) =>
          records.some((record) => record.key === stream.reservationId)));
        assert.deepEqual(new Set(decisions.of(streams.map((stream) => stream.reservationId))
          .map((record) => record.partition)), new Set([2]));
      } finally {
        await Promise.all(meters.map((meter) => meter.close()));
      }
    });

    describe('where nobody decides', () => {
      it('WAIT: no decision within the timeout rejects and cancels the stream, so nothing stays held', async () => {
        const meter = createBudgetMeter({ bootstrapServers: context.stack.bootstrapServers,
          schemaRegistryUrl: context.stack.schemaRegistryUrl, topicPrefix: UNANSWERED, decisions: 'WAIT',
          decisionTimeoutMs: 1_000, logger: quiet });
        const reservationId = `unanswered-${Date.now()}`;
        try {
          await assert.rejects(meter.reserveForStream(call('acme', 1_000, { reservationId })), (error: unknown) => {
            assert.ok(error instanceof DecisionTimeoutError, String(error));
            assert.equal(error.message, `no decision on reservation ${reservationId} within 1000 ms on`
              + ` ${UNANSWERED}decisions: is the topology running with metering.authority=LEDGER?`);
            assert.equal(error.reservationId, reservationId);
            return true;
          });
          assert.equal(meter.metrics().streamsOpen, 0);
        } finally {
          await meter.close();
        }
        assert.deepEqual(await ended(unanswered, reservationId), { outcome: 'CANCELLED', reason: 'no decision' });
      });

      it('a reply partition the decisions topic lacks is refused at once, before any Reserve', async () => {
        const meter = createBudgetMeter({ bootstrapServers: context.stack.bootstrapServers,
          schemaRegistryUrl: context.stack.schemaRegistryUrl, topicPrefix: UNANSWERED, decisions: 'WAIT',
          replyPartition: 3, logger: quiet });
        try {
          await assert.rejects(meter.reserveForStream(call('acme', 1_000)), (error: unknown) =>
            error instanceof DecisionTimeoutError && error.message === `the decisions topic ${UNANSWERED}decisions`
            + ` cannot be read: replyPartition 3 is not a partition of ${UNANSWERED}decisions, which has 3`);
          assert.equal(meter.metrics().eventsSent, 0);
        } finally {
          await meter.close();
        }
      });
    });

    it('a missing decisions topic or an unreachable broker rejects within the block timeout, naming the topic',
      async () => {
        const prefix = 'nodenoledger.';
        const unreachable = `127.0.0.1:${await closedPort()}`;
        for (const [servers, problem] of [[context.stack.bootstrapServers, `topic ${prefix}decisions does not exist`],
          [unreachable, 'ECONNREFUSED']]) {
          const meter = createBudgetMeter({ bootstrapServers: servers, schemaRegistryUrl: context.stack.schemaRegistryUrl,
            topicPrefix: prefix, decisions: 'OPTIMISTIC', blockTimeoutMs: BOUND_MS, logger: quiet });
          try {
            const start = performance.now();
            const [result] = await Promise.allSettled([meter.reserveForStream(call('acme', 1_000))]);
            const ms = performance.now() - start;

            assert.equal(result.status, 'rejected');
            const error = (result as PromiseRejectedResult).reason;
            assert.ok(error instanceof DecisionTimeoutError, String(error));
            assert.ok(error.message.startsWith(`the decisions topic ${prefix}decisions could not be read within`
              + ` ${BOUND_MS} ms (`), error.message);
            assert.ok(error.message.includes(problem), error.message);
            assert.ok(ms <= BOUND_MS + MARGIN_MS, `took ${ms} ms`);
            assert.deepEqual([meter.metrics().eventsSent, meter.metrics().streamsOpened], [0, 0], 'nothing written');
          } finally {
            await meter.close(BOUND_MS);
          }
        }
      });
  });
}
