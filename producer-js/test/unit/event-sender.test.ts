import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from 'kafkajs';
import type { DeliveryFailedError } from '../../src/errors';
import { DeliveryReporter } from '../../src/internal/delivery-reporter';
import { EventSender, type OutgoingEvent } from '../../src/internal/event-sender';
import type { ProducerSlot } from '../../src/internal/kafka-producer';
import type { StreamEventSerde } from '../../src/internal/stream-event-serde';
import { StreamEvents } from '../../src/internal/stream-events';

/** A broker answering each request when the test says so, or refusing any request with a value above a size. */
class ScriptedProducers {
  readonly requests: string[][] = [];
  replaced = 0;
  refuseAbove = Number.MAX_SAFE_INTEGER;
  hold = false;
  /** Requests that fail as a lost connection does, before the broker is back. */
  unreachableFor = 0;
  private released: Array<() => void> = [];
  lastClientError: string | undefined = 'kafkajs Connection: Connection error: connect ECONNREFUSED';

  async send(_topic: string, messages: Message[]): Promise<void> {
    this.requests.push(messages.map((message) => JSON.parse(String(message.value)).reservation_id
      + ':' + JSON.parse(String(message.value)).seq));
    if (messages.some((message) => (message.value as Buffer).length > this.refuseAbove)) {
      throw Object.assign(new Error('The request included a message larger than the max message size the server'
        + ' will accept'), { name: 'KafkaJSProtocolError', retriable: false });
    }
    if (this.unreachableFor > 0) {
      this.unreachableFor--;
      throw Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSNumberOfRetriesExceeded' });
    }
    if (this.hold) {
      await new Promise<void>((resolve) => this.released.push(resolve));
    }
  }

  release(): void {
    this.released.splice(0).forEach((resolve) => resolve());
  }

  replace(): void {
    this.replaced++;
  }
}

const serde = { serialize: async (record: unknown) => Buffer.from(JSON.stringify(record)) };

function setUp(limits: { maxQueuedEvents?: number; maxRequestBytes?: number } = {}) {
  const producers = new ScriptedProducers();
  const failures: DeliveryFailedError[] = [];
  const reporter = new DeliveryReporter((failure) => failures.push(failure), { warn: () => undefined },
    () => performance.now(), true);
  const sender = new EventSender({ topic: 't.stream-events', bootstrapServers: '127.0.0.1:9', maxBatchEvents: 100,
    maxQueuedEvents: limits.maxQueuedEvents ?? 1_000, maxRequestBytes: limits.maxRequestBytes ?? 1_000_000 },
  serde as unknown as StreamEventSerde, producers as unknown as ProducerSlot, reporter, () => performance.now());
  const outcomes = new Map<string, string>();
  const events = new StreamEvents('w');
  const take = (reservation: string, seq: number, boundMs = 5_000, padding = '') => {
    const event: OutgoingEvent = {
      record: events.envelope(reservation, seq, 0, StreamEvents.end('COMPLETED', padding || undefined)),
      type: 'END', deadline: performance.now() + boundMs, boundMs,
      outcome: {
        delivered: () => outcomes.set(`${reservation}:${seq}`, 'delivered'),
        failed: (failure) => outcomes.set(`${reservation}:${seq}`, failure.message),
      },
    };
    sender.take(event);
  };
  return { sender, producers, failures, outcomes, take, reporter };
}

describe('the event sender', () => {
  it('sends what was taken in one turn as one request, in order, and the rest behind it as the next', async () => {
    const { sender, producers, take } = setUp();
    producers.hold = true;
    take('a', 0);
    take('b', 0);
    take('a', 1);
    await new Promise((resolve) => setImmediate(resolve));
    take('b', 1);
    take('a', 2);

    producers.hold = false;
    producers.release();
    await sender.idle();

    assert.deepEqual(producers.requests, [['a:0', 'b:0', 'a:1'], ['b:1', 'a:2']]);
  });

  it('fails an event at its deadline, naming the bound and the client\'s last error, and replaces the producer',
    async () => {
      const { sender, producers, outcomes, take } = setUp();
      producers.hold = true;
      take('r', 0, 50);

      await sender.idle();

      assert.match(outcomes.get('r:0') ?? '', new RegExp('^END \\(seq 0\\) of reservation r was not written to '
        + 't\\.stream-events: not acknowledged by Kafka at 127\\.0\\.0\\.1:9 within 50 ms.*ECONNREFUSED'));
      assert.equal(producers.replaced, 1);
      producers.release();
    });

  it('sends the events of a refused request again one by one, so only the one the broker refuses fails', async () => {
    const { sender, producers, outcomes, failures, take } = setUp();
    producers.refuseAbove = 1_000;
    take('a', 0);
    take('b', 0, 5_000, 'x'.repeat(2_000));
    take('a', 1);

    await sender.idle();

    assert.deepEqual(producers.requests, [['a:0', 'b:0', 'a:1'], ['a:0'], ['b:0'], ['a:1']]);
    assert.deepEqual([...outcomes.entries()].sort(), [['a:0', 'delivered'], ['a:1', 'delivered'],
      ['b:0', outcomes.get('b:0')]]);
    assert.match(outcomes.get('b:0') ?? '', /KafkaJSProtocolError: The request included a message larger/);
    assert.equal(failures.length, 1);
  });

  it('tries a request again with a new producer until the broker is back, failing each event at its own deadline',
    async () => {
      const { sender, producers, outcomes, take } = setUp();
      producers.unreachableFor = 4;
      take('reserve', 0, 150);
      take('chunk', 1, 10_000);

      await sender.idle();

      assert.match(outcomes.get('reserve:0') ?? '', /not acknowledged by Kafka at 127\.0\.0\.1:9 within 150 ms/);
      assert.equal(outcomes.get('chunk:1'), 'delivered');
      assert.ok(producers.replaced >= 4, `replaced ${producers.replaced} times`);
      assert.deepEqual(producers.requests.at(-1), ['chunk:1']);
    });

  it('keeps requests under the byte limit', async () => {
    const { sender, producers, take } = setUp({ maxRequestBytes: 500 });
    for (let seq = 0; seq < 6; seq++) {
      take('r', seq);
    }

    await sender.idle();

    assert.ok(producers.requests.length > 1, `${producers.requests.length} requests`);
    assert.deepEqual(producers.requests.flat(), ['r:0', 'r:1', 'r:2', 'r:3', 'r:4', 'r:5']);
  });

  it('refuses events beyond its queue bound, reporting them, and fails what is left when abandoned', async () => {
    const { sender, producers, outcomes, take, reporter } = setUp({ maxQueuedEvents: 2 });
    producers.hold = true;
    take('r', 0);
    take('r', 1);

    assert.throws(() => take('r', 2), /END \(seq 2\) of reservation r was not sent: the meter holds 2 events not yet/);
    assert.equal(reporter.snapshot(0).eventsRefused, 1);
    sender.abandon('the meter closed');
    await sender.idle();
    assert.match(outcomes.get('r:1') ?? '', /the meter closed/);
    producers.release();
  });
});
