import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockClient } from '@confluentinc/schemaregistry/dist/mock-schemaregistry-client';
import { AvroDeserializer, SerdeType, TOPIC_VALUE_SUBJECTS, type SchemaRegistryClient } from '../../src/internal/registry';
import { STREAM_EVENT_SCHEMA_TEXT, StreamEventSerde } from '../../src/internal/stream-event-serde';
import { StreamEvents } from '../../src/internal/stream-events';

/** Confluent's own in-memory registry client stands in for the registry; the real one is in the interop tests. */
function registry(): SchemaRegistryClient {
  return new MockClient({ baseURLs: ['mock://unit'] }) as unknown as SchemaRegistryClient;
}

const record = new StreamEvents('w').envelope('r-1', 4, 1_700_000_000_000,
  StreamEvents.chunk({ outputTokens: 40, inputTokens: 2, chunks: 7 }));

describe('the stream event serde', () => {
  it('registers the published schema under <topic>-value and writes the Confluent wire format', async () => {
    const client = registry();
    const serde = new StreamEventSerde(client, 'p.stream-events', 'mock://unit');

    const bytes = await serde.serialize(record);

    const id = await client.getId('p.stream-events-value', { schemaType: 'AVRO', schema: STREAM_EVENT_SCHEMA_TEXT });
    assert.equal(bytes[0], 0);
    assert.equal(bytes.readInt32BE(1), id);
    const decoded = await new AvroDeserializer(client, SerdeType.VALUE, TOPIC_VALUE_SUBJECTS)
      .deserialize('p.stream-events', bytes);
    assert.deepEqual(JSON.parse(JSON.stringify(decoded)), JSON.parse(JSON.stringify(record)));
  });

  it('encodes with the serializer\'s own Avro type once both agree on every kind of event', async () => {
    const serde = new StreamEventSerde(registry(), 'p.stream-events', 'mock://unit');

    await serde.ready();

    assert.equal(serde.direct, true);
  });

  it('leaves every event to the serializer when the subject has data-contract rules', async () => {
    const client = registry();
    const lookUp = client.getBySubjectAndId.bind(client);
    client.getBySubjectAndId = async (subject, id, format) => ({ ...await lookUp(subject, id, format),
      ruleSet: { domainRules: [{ name: 'checkTenant', type: 'CEL', expr: 'message.reservation_id != ""' }] } });
    const serde = new StreamEventSerde(client, 'p.stream-events', 'mock://unit');

    await serde.ready();

    assert.equal(serde.direct, false);
  });

  it('names the registry when it cannot register, and asks again on the next call', async () => {
    const client = registry();
    let calls = 0;
    client.register = async () => {
      calls++;
      throw new Error('connect ECONNREFUSED');
    };
    const serde = new StreamEventSerde(client, 'p.stream-events', 'http://127.0.0.1:9');

    await assert.rejects(serde.ready(), /^Error: schema registry unavailable at \[http:\/\/127\.0\.0\.1:9\]: registering/);
    await assert.rejects(serde.ready());
    assert.equal(calls, 2);
  });
});
