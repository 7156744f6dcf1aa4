import { cpuUsage, hrtime } from 'node:process';
import { createBudgetMeter, type BudgetMeter } from '../src/budget-meter';
import { ProducerSlot } from '../src/internal/kafka-producer';
import { AvroSerializer, registryClient, SerdeType, TOPIC_VALUE_SUBJECTS } from '../src/internal/registry';
import { StreamEventSerde } from '../src/internal/stream-event-serde';
import { StreamEvents } from '../src/internal/stream-events';
import type { MeteredStream } from '../src/metered-stream';
import { startStack, type Stack } from '../test/support/stack';

/**
 * `npm run bench [-- runs events calls]`: what `chunk()` costs and how many events per second the meter writes,
 * against a plain send of the same bytes with the meter's own producer (kafkajs, idempotent, acks=all, one request in
 * flight), on the project's local stack. The machine is shared and noisy, so every figure that matters is a ratio
 * to the baseline measured in the same run, reported as the median over runs with its range.
 */
const [RUNS, EVENTS, CALLS] = [5, 20_000, 2_000_000].map((fallback, i) => Number(process.argv[2 + i] ?? fallback));
const STREAMS = 100;
const PREFIX = 'bench.';
const REQUEST = { maxEvents: 2_000, maxBytes: 512 * 1024 };

interface Run {
  /** ns per chunk() call with coalescing (the default). */
  readonly coalescedCallNs: number;
  /** ns per chunk() call without coalescing (each call takes one event), the calls alone. */
  readonly eventCallNs: number;
  /** Chunk events per second without coalescing, from the first call until flush() resolved. */
  readonly meterEventsPerSecond: number;
  /** CPU (this process) per event for that. */
  readonly meterCpuNsPerEvent: number;
  /** The same number of pre-serialized chunk events, sent with the meter's producer in requests as large. */
  readonly rawEventsPerSecond: number;
  readonly rawCpuNsPerEvent: number;
  /** One awaited send per event, the way a worker without a batching library writes. */
  readonly oneByOneEventsPerSecond: number;
  /** Confluent's `AvroSerializer.serialize` alone, per event: why the meter encodes with its Avro type. */
  readonly confluentSerializeNs: number;
}

function meterOn(stack: Stack, coalescing: boolean): BudgetMeter {
  return createBudgetMeter({ bootstrapServers: stack.bootstrapServers, schemaRegistryUrl: stack.schemaRegistryUrl,
    topicPrefix: PREFIX, workerId: 'bench', coalescing, maxQueuedEvents: EVENTS + STREAMS * 4,
    deliveryTimeoutMs: 120_000 });
}

async function openStreams(meter: BudgetMeter): Promise<MeteredStream[]> {
  return Promise.all(Array.from({ length: STREAMS }, () => meter.reserveForStream({ tenant: 'bench',
    actionKind: 'llm.completion', actionName: 'gpt-4o', estimate: 1_000_000 })));
}

function elapsedNs(start: bigint): number {
  return Number(hrtime.bigint() - start);
}

async function coalescedCallNs(stack: Stack): Promise<number> {
  const meter = meterOn(stack, true);
  const streams = await openStreams(meter);
  const start = hrtime.bigint();
  for (let call = 0; call < CALLS; call++) {
    streams[call % STREAMS].chunk(1);
  }
  const ns = elapsedNs(start) / CALLS;
  await meter.close();
  return ns;
}

async function meterEvents(stack: Stack): Promise<{ callNs: number; perSecond: number; cpuNsPerEvent: number }> {
  const meter = meterOn(stack, false);
  const streams = await openStreams(meter);
  await meter.flush();
  const cpu = cpuUsage();
  const start = hrtime.bigint();
  for (let call = 0; call < EVENTS; call++) {
    streams[call % STREAMS].chunk(1);
  }
  const callNs = elapsedNs(start) / EVENTS;
  await meter.flush();
  const ns = elapsedNs(start);
  const used = cpuUsage(cpu);
  const failed = meter.metrics().eventsFailed;
  await meter.close();
  if (failed > 0) {
    throw new Error(`${failed} events failed during the bench`);
  }
  return { callNs, perSecond: EVENTS / (ns / 1e9), cpuNsPerEvent: ((used.user + used.system) * 1_000) / EVENTS };
}

function chunkRecords(count: number) {
  const events = new StreamEvents('bench-raw');
  return Array.from({ length: count }, (_, i) => events.envelope(`raw-${i % STREAMS}`, i, Date.now(),
    StreamEvents.chunk({ outputTokens: 1, inputTokens: 0, chunks: 1 })));
}

/** Distinct chunk events (own ids and seqs), serialized by the meter's serde ahead of the clock. */
async function serializedChunks(stack: Stack, count: number): Promise<Array<{ key: string; value: Buffer }>> {
  const serde = new StreamEventSerde(registryClient({ url: stack.schemaRegistryUrl, requestTimeoutMs: 10_000,
    maxRetries: 1 }), `${PREFIX}stream-events`, stack.schemaRegistryUrl);
  const messages = [];
  for (const record of chunkRecords(count)) {
    messages.push({ key: record.reservation_id, value: await serde.serialize(record) });
  }
  return messages;
}

async function confluentSerializeNs(stack: Stack, count = 2_000): Promise<number> {
  const client = registryClient({ url: stack.schemaRegistryUrl, requestTimeoutMs: 10_000, maxRetries: 1 });
  await new StreamEventSerde(client, `${PREFIX}stream-events`, stack.schemaRegistryUrl).ready();
  const id = (await client.getLatestSchemaMetadata(`${PREFIX}stream-events-value`)).id;
  const serializer = new AvroSerializer(client, SerdeType.VALUE, { useSchemaId: id, ...TOPIC_VALUE_SUBJECTS });
  const records = chunkRecords(count);
  await serializer.serialize(`${PREFIX}stream-events`, records[0]);
  const start = hrtime.bigint();
  for (const record of records) {
    await serializer.serialize(`${PREFIX}stream-events`, record);
  }
  return elapsedNs(start) / count;
}

function rawProducer(stack: Stack): ProducerSlot {
  return new ProducerSlot({ brokers: [stack.bootstrapServers], clientId: 'bench-raw', connectionTimeoutMs: 5_000,
    requestTimeoutMs: 30_000, options: {}, logger: console });
}

async function rawEvents(stack: Stack): Promise<{ perSecond: number; cpuNsPerEvent: number }> {
  const messages = await serializedChunks(stack, EVENTS);
  const producer = rawProducer(stack);
  await producer.send(`${PREFIX}stream-events`, messages.slice(0, 1));
  const cpu = cpuUsage();
  const start = hrtime.bigint();
  for (let from = 0; from < messages.length;) {
    let to = from;
    for (let bytes = 0; to < messages.length && to - from < REQUEST.maxEvents
      && bytes + messages[to].value.length <= REQUEST.maxBytes; to++) {
      bytes += messages[to].value.length;
    }
    await producer.send(`${PREFIX}stream-events`, messages.slice(from, to));
    from = to;
  }
  const ns = elapsedNs(start);
  const used = cpuUsage(cpu);
  await producer.close();
  return { perSecond: EVENTS / (ns / 1e9), cpuNsPerEvent: ((used.user + used.system) * 1_000) / EVENTS };
}

async function oneByOne(stack: Stack, count = 2_000): Promise<number> {
  const messages = await serializedChunks(stack, count);
  const producer = rawProducer(stack);
  await producer.send(`${PREFIX}stream-events`, messages.slice(0, 1));
  const start = hrtime.bigint();
  for (const message of messages) {
    await producer.send(`${PREFIX}stream-events`, [message]);
  }
  const ns = elapsedNs(start);
  await producer.close();
  return count / (ns / 1e9);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function figure(runs: readonly Run[], value: (run: Run) => number, digits = 0): string {
  const values = runs.map(value);
  const format = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: digits,
    minimumFractionDigits: digits });
  return `${format(median(values))} (${format(Math.min(...values))}-${format(Math.max(...values))})`;
}

async function main(): Promise<void> {
  const stack = await startStack(['--create-topics', '--topic-prefix', PREFIX, '--partitions', '3']);
  const runs: Run[] = [];
  try {
    // Warms up the JIT and the connections of both paths; not counted.
    await rawEvents(stack);
    await meterEvents(stack);
    for (let run = 0; run < RUNS; run++) {
      // The baseline and the meter alternate, so a neighbour's load falls on both.
      const raw = await rawEvents(stack);
      const meter = await meterEvents(stack);
      const coalesced = await coalescedCallNs(stack);
      const single = await oneByOne(stack);
      const confluent = await confluentSerializeNs(stack);
      runs.push({ coalescedCallNs: coalesced, eventCallNs: meter.callNs, meterEventsPerSecond: meter.perSecond,
        meterCpuNsPerEvent: meter.cpuNsPerEvent, rawEventsPerSecond: raw.perSecond, rawCpuNsPerEvent: raw.cpuNsPerEvent,
        oneByOneEventsPerSecond: single, confluentSerializeNs: confluent });
      process.stderr.write(`run ${run + 1}/${RUNS}: ${JSON.stringify(runs[run])}\n`);
    }
  } finally {
    await stack.stop();
  }
  const rows = [
    ['`chunk()` with coalescing, per call', `${figure(runs, (r) => r.coalescedCallNs, 1)} ns`],
    ['`chunk()` without coalescing, per call (the call; the event is written after it)',
      `${figure(runs, (r) => r.eventCallNs)} ns`],
    ['raw send of the same bytes, CPU per event', `${figure(runs, (r) => r.rawCpuNsPerEvent)} ns`],
    ['meter without coalescing, CPU per event (record, Avro, send, acks)', `${figure(runs, (r) => r.meterCpuNsPerEvent)} ns`],
    ['meter without coalescing, events/s', figure(runs, (r) => r.meterEventsPerSecond)],
    ['raw send of the same bytes, events/s', figure(runs, (r) => r.rawEventsPerSecond)],
    ['raw, one awaited send per event, events/s', figure(runs, (r) => r.oneByOneEventsPerSecond)],
    ['Confluent\'s `AvroSerializer.serialize` alone, per event', `${figure(runs, (r) => r.confluentSerializeNs)} ns`],
    ['**ratio** `chunk()` with coalescing / raw CPU per event', figure(runs, (r) => r.coalescedCallNs / r.rawCpuNsPerEvent, 3)],
    ['**ratio** `chunk()` without coalescing / raw CPU per event', figure(runs, (r) => r.eventCallNs / r.rawCpuNsPerEvent, 2)],
    ['**ratio** meter CPU per event / raw CPU per event', figure(runs, (r) => r.meterCpuNsPerEvent / r.rawCpuNsPerEvent, 2)],
    ['**ratio** meter events/s / raw events/s', figure(runs, (r) => r.meterEventsPerSecond / r.rawEventsPerSecond, 2)],
    ['**ratio** raw one by one / meter events/s', figure(runs, (r) => r.oneByOneEventsPerSecond / r.meterEventsPerSecond, 3)],
  ];
  console.log(`${RUNS} runs, ${EVENTS.toLocaleString('en-US')} events and ${CALLS.toLocaleString('en-US')} coalesced`
    + ` calls each, ${STREAMS} streams; median (min-max)\n`);
  console.log('| figure | measured |\n|---|---|');
  rows.forEach(([name, value]) => console.log(`| ${name} | ${value} |`));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
