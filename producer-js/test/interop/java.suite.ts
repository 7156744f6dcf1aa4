import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/stack';
import { bodyOf, type ReadRecord } from '../support/topic-reader';
import { context, PREFIX } from './context';

const JAVA_STREAMS = 20;

function libraryOf(record: ReadRecord): string {
  return (record.value.producer as { library_version: string }).library_version;
}

/** The reservations the Node meter wrote (read back from the topic). */
function nodeReservations(): Set<string> {
  return new Set(context.streamEvents.records.filter((record) => libraryOf(record).startsWith('budget-meter-js/'))
    .map((record) => record.key));
}

/** The Java side reads what the Node side registered and wrote, and the other way round. */
export function javaSuite(): void {
  describe('with the Java side', () => {
    it('Java workers get the schema id Node registered, and Node decodes their events', async () => {
      const node = context.streamEvents.records.find((record) => libraryOf(record).startsWith('budget-meter-js/'));
      assert.ok(node, 'the Node streams of the earlier tests were read back');

      const simulate = await runCli(['simulate', '--streams', String(JAVA_STREAMS), '--concurrency', '5', '--tokens',
        '40', '--failed', '0.1', '--cancelled', '0.1', '--abandoned', '0', '--long', '0', '--seed', '17'],
      context.stack.env);

      assert.equal(simulate.code, 0, simulate.stdout + simulate.stderr);
      // Its oracle checks every reservation in the topics, the Node streams' too.
      const total = nodeReservations().size + JAVA_STREAMS;
      assert.match(simulate.stdout, new RegExp(`oracle: ${total} reservations, ${total} settled, 0 open: PASSED`));
      const versions = await fetch(`${context.stack.schemaRegistryUrl}/subjects/${PREFIX}stream-events-value/versions`);
      assert.deepEqual(await versions.json(), [1], 'one schema version under the subject, registered by both');
      await context.streamEvents.until('the Java workers\' streams', (records) => records.filter((record) =>
        libraryOf(record).startsWith('budget-meter-java/') && bodyOf(record.value).kind === 'Reserve').length
        === JAVA_STREAMS);
      const java = context.streamEvents.records.filter((record) => libraryOf(record).startsWith('budget-meter-java/'));
      assert.deepEqual(new Set(java.map((record) => record.schemaId)), new Set([node.schemaId]));
      const reserve = bodyOf(java.find((record) => bodyOf(record.value).kind === 'Reserve')!.value).fields;
      assert.equal(reserve.subject.tenant.length > 0, true);
      assert.equal(reserve.estimate.unit, 'USD_MICROCENTS');
    });

    it('the Java audit tool verifies every reservation of the topic, Node\'s and Java\'s, settled exactly once',
      async () => {
        const verify = await runCli(['audit', 'verify', '--require-settled'], context.stack.env);

        assert.equal(verify.code, 0, verify.stdout + verify.stderr);
        const total = nodeReservations().size + JAVA_STREAMS;
        assert.match(verify.stdout, new RegExp(`oracle: ${total} reservations, ${total} settled, 0 open: PASSED`));
      });
  });
}
