import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { createBudgetMeter } from '../../src/budget-meter';
import { DeliveryFailedError } from '../../src/errors';
import type { StreamReservationOptions } from '../../src/reservation';
import { closedPort } from '../support/closed-port';
import { context } from './context';

const RESERVATION: StreamReservationOptions = { tenant: 'acme', actionKind: 'llm.completion', actionName: 'gpt-4o',
  estimate: 1_000 };
const BOUND_MS = 2_000;
/** Slack for a loaded two-core machine: these assert a bound on waiting, not a speed. */
const MARGIN_MS = 5_000;
const quiet = { warn: () => undefined };

async function elapsed<T>(work: () => Promise<T>): Promise<{ readonly ms: number; readonly result: PromiseSettledResult<T> }> {
  const start = performance.now();
  const [result] = await Promise.allSettled([work()]);
  return { ms: performance.now() - start, result };
}

function rejection(result: PromiseSettledResult<unknown>): DeliveryFailedError {
  assert.equal(result.status, 'rejected');
  const reason = (result as PromiseRejectedResult).reason;
  assert.ok(reason instanceof DeliveryFailedError, String(reason));
  return reason;
}

/** Failures are explicit and bounded: what the broker refuses, and what cannot be reached. */
export function failuresSuite(): void {
  describe('failures', () => {
    it('an event the broker refuses fails its stream\'s promise and reaches the listener; a neighbour is unharmed',
      async () => {
        const prefix = 'tiny.';
        const admin = new Kafka({ brokers: [context.stack.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        await admin.createTopics({ waitForLeaders: true, topics: [{ topic: `${prefix}stream-events`, numPartitions: 1,
          replicationFactor: 1, configEntries: [{ name: 'max.message.bytes', value: '2048' }] }] });
        await admin.disconnect();
        const told: DeliveryFailedError[] = [];
        const meter = createBudgetMeter({ bootstrapServers: context.stack.bootstrapServers,
          schemaRegistryUrl: context.stack.schemaRegistryUrl, topicPrefix: prefix, onDeliveryFailure: (f) => told.push(f),
          logger: quiet });
        try {
          const oversized = await meter.reserveForStream(RESERVATION);
          const neighbour = await meter.reserveForStream(RESERVATION);

          // Both in the same turn of the event loop, so in the same request.
          oversized.usage({ tokensInput: 1, tokensOutput: 1, custom: { dump: randomBytes(4_096).toString('base64') } });
          const refused = oversized.complete();
          neighbour.chunk(5);
          const fine = neighbour.complete();

          await fine;
          const failure = rejection((await Promise.allSettled([refused]))[0]);
          assert.equal(failure.eventType, 'USAGE');
          assert.equal(failure.seq, 1);
          assert.match(failure.message, new RegExp(`^USAGE \\(seq 1\\) of reservation ${oversized.reservationId} was not`
            + ` written to tiny\\.stream-events: KafkaJSProtocolError: `));
          assert.deepEqual(told.map((f) => `${f.reservationId}:${f.eventType}`), [`${oversized.reservationId}:USAGE`]);
          assert.equal(meter.metrics().eventsFailed, 1);
        } finally {
          await meter.close();
        }
      });

    it('reserveForStream fails within the block timeout when no broker answers, naming the servers', async () => {
      const servers = `127.0.0.1:${await closedPort()}`;
      const told: DeliveryFailedError[] = [];
      const meter = createBudgetMeter({ bootstrapServers: servers, schemaRegistryUrl: context.stack.schemaRegistryUrl,
        blockTimeoutMs: BOUND_MS, onDeliveryFailure: (f) => told.push(f), logger: quiet });
      try {
        const { ms, result } = await elapsed(() => meter.reserveForStream({ ...RESERVATION, reservationId: 'down-1' }));

        const failure = rejection(result);
        assert.match(failure.message, new RegExp(`^RESERVE \\(seq 0\\) of reservation down-1 was not written to`
          + ` budget\\.stream-events: not acknowledged by Kafka at ${servers} within ${BOUND_MS} ms`));
        assert.match(failure.message, /ECONNREFUSED/);
        assert.ok(ms >= BOUND_MS - 100 && ms <= BOUND_MS + MARGIN_MS, `took ${ms} ms`);
        assert.deepEqual(told.map((f) => `${f.eventType}:${f.seq}`), ['RESERVE:0']);
        assert.equal(meter.metrics().streamsOpen, 0);
        assert.equal(meter.metrics().streamsOpened, 0);
      } finally {
        const { ms } = await elapsed(() => meter.close(BOUND_MS));
        assert.ok(ms <= BOUND_MS + MARGIN_MS, `close took ${ms} ms`);
      }
    });

    it('reserveForStream fails within the block timeout when the registry does not answer, naming it', async () => {
      const registry = `http://127.0.0.1:${await closedPort()}`;
      const meter = createBudgetMeter({ bootstrapServers: context.stack.bootstrapServers, schemaRegistryUrl: registry,
        blockTimeoutMs: BOUND_MS, logger: quiet });
      try {
        const { ms, result } = await elapsed(() => meter.reserveForStream(RESERVATION));

        assert.match(rejection(result).message, new RegExp(`was not sent: schema registry unavailable at \\[${registry}\\]`));
        assert.ok(ms <= BOUND_MS + MARGIN_MS, `took ${ms} ms`);
      } finally {
        await meter.close();
      }
    });
  });
}
