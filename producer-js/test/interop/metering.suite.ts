import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulatedLlm } from '../../src/example/simulated-llm';
import { GPT_4O, StreamingWorker } from '../../src/example/streaming-worker';
import { bodyOf } from '../support/topic-reader';
import { context, onlyTerminal, terminalCommands, WORKER_ID } from './context';

/** Streams the topology meters, and the exact commands it issues for them. */
export function meteringSuite(): void {
  describe('streams from Node, metered by the topology', () => {
    it('the example worker: a completed call commits its priced usage, a broken one what it streamed', async () => {
      const worker = new StreamingWorker(context.meter, 'example-tenant');

      const healthy = await worker.answer('Summarise the quarterly report.', 500, SimulatedLlm.answering(320));
      const broken = await worker.answer('Translate the contract.', 500, SimulatedLlm.breakingAt(400, 120));

      const terminal = await terminalCommands([healthy, broken]);
      const completed = onlyTerminal(terminal, healthy);
      assert.equal(completed.kind, 'Commit');
      assert.equal(completed.key, `${healthy}:commit`);
      assert.equal(completed.fields.settlement, 'COMPLETED');
      // 8 input tokens (31 characters / 4 + 1) at 250, 320 output tokens at 1,000 USD microcents.
      assert.deepEqual(completed.fields.actual, { unit: 'USD_MICROCENTS', amount: 8 * 250 + 320 * 1_000 });
      assert.equal(completed.fields.metrics.tokens_input, 8);
      assert.equal(completed.fields.metrics.tokens_output, 320);
      const partial = onlyTerminal(terminal, broken);
      assert.equal(partial.kind, 'Commit');
      assert.equal(partial.fields.settlement, 'PARTIAL_ON_FAILURE');
      assert.deepEqual(partial.fields.actual, { unit: 'USD_MICROCENTS', amount: 119 * GPT_4O.outputTokenPrice });
    });

    it('a cancelled stream without usage releases the whole estimate with its reason', async () => {
      const stream = await context.meter.reserveForStream({ tenant: 'acme', actionKind: 'llm.completion',
        actionName: 'gpt-4o', estimate: 40_000, pricing: GPT_4O });

      await stream.cancel('user_cancelled');

      const release = onlyTerminal(await terminalCommands([stream.reservationId]), stream.reservationId);
      assert.equal(release.kind, 'Release');
      assert.equal(release.key, `${stream.reservationId}:release`);
      assert.equal(release.fields.reason, 'user_cancelled');
      assert.deepEqual(release.fields.released, { unit: 'USD_MICROCENTS', amount: 40_000 });
    });

    it('many concurrent streams: contiguous seq per stream in one partition, coalesced chunks, exact commits',
      async () => {
        const calls = Array.from({ length: 40 }, (_, i) => ({ input: 10 + i, output: 150 + 7 * i }));

        const ids = await Promise.all(calls.map(async (call) => {
          const stream = await context.meter.reserveForStream({ tenant: 'acme', agent: `agent-${call.input % 3}`,
            actionKind: 'llm.completion', actionName: 'gpt-4o', estimate: 2 * call.output * 1_000, pricing: GPT_4O,
            ttlMs: 120_000 });
          for (let token = 0; token < call.output; token++) {
            stream.chunk(1, token === 0 ? call.input : 0);
            if (token % 50 === 0) {
              await new Promise((resolve) => setImmediate(resolve));
            }
          }
          await stream.commit(undefined, { tokensInput: call.input, tokensOutput: call.output });
          return stream.reservationId;
        }));

        const terminal = await terminalCommands(ids);
        calls.forEach((call, i) => {
          const commit = onlyTerminal(terminal, ids[i]);
          assert.equal(commit.fields.settlement, 'COMPLETED');
          assert.equal(commit.fields.actual.amount, call.input * 250 + call.output * 1_000);
        });
        await context.streamEvents.until('every event of the concurrent streams', (records) =>
          ids.every((id) => records.some((record) => record.key === id && bodyOf(record.value).kind === 'End')));
        ids.forEach((id, i) => {
          const events = context.streamEvents.of([id]);
          assert.deepEqual(events.map((event) => event.value.seq), events.map((_, seq) => seq), `seq of ${id}`);
          assert.equal(new Set(events.map((event) => event.partition)).size, 1, `partitions of ${id}`);
          const kinds = events.map((event) => bodyOf(event.value).kind);
          assert.equal(kinds[0], 'Reserve');
          assert.deepEqual(kinds.slice(-2), ['Usage', 'End']);
          const chunks = events.filter((event) => bodyOf(event.value).kind === 'Chunk');
          assert.ok(chunks.length < calls[i].output / 10, `${chunks.length} chunk events coalesce ${calls[i].output}`);
          assert.equal(chunks.reduce((sum, event) => sum + bodyOf(event.value).fields.tokens_output, 0),
            calls[i].output);
          assert.equal(new Set(events.map((event) => event.value.event_id)).size, events.length);
          assert.deepEqual(events[0].value.producer, { worker_id: WORKER_ID, library_version: 'budget-meter-js/0.1.0' });
        });
        assert.deepEqual(context.failures, []);
      });
  });
}
