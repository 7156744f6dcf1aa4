import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { AvroDeserializer, registryClient, SerdeType, TOPIC_VALUE_SUBJECTS } from '../../src/internal/registry';
import { registerLz4Codec } from './lz4-codec';

/** One record as read back: where it was, its key, its Confluent schema id and its decoded value. */
export interface ReadRecord {
  readonly partition: number;
  readonly key: string;
  readonly schemaId: number;
  readonly value: Record<string, unknown>;
}

/**
 * Reads a topic from its beginning as it fills, decoding each value with Confluent's deserializer against the
 * registry (so whatever schema the writer registered, Java or Node, is what decodes it).
 */
export class TopicReader {
  readonly records: ReadRecord[] = [];
  /** Why reading stopped, if it did: a record that did not decode, or the consumer's crash. */
  private failure: unknown;

  private constructor(private readonly consumer: Consumer) {}

  static async start(bootstrapServers: string, schemaRegistryUrl: string, topic: string): Promise<TopicReader> {
    registerLz4Codec();
    const kafka = new Kafka({ clientId: 'interop-reader', brokers: [bootstrapServers], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `interop-reader-${topic}-${process.pid}-${Date.now()}` });
    const deserializer = new AvroDeserializer(registryClient({ url: schemaRegistryUrl, requestTimeoutMs: 10_000,
      maxRetries: 2 }), SerdeType.VALUE, TOPIC_VALUE_SUBJECTS);
    const reader = new TopicReader(consumer);
    consumer.on(consumer.events.CRASH, (event) => {
      reader.failure ??= event.payload.error;
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const bytes = message.value as Buffer;
        try {
          reader.records.push({ partition, key: String(message.key), schemaId: bytes.readInt32BE(1),
            value: plain(await deserializer.deserialize(topic, bytes)) });
        } catch (error) {
          reader.failure ??= new Error(`${topic} partition ${partition} offset ${message.offset} did not decode`,
            { cause: error });
        }
      },
    });
    return reader;
  }

  /** The decoded values read so far whose key is one of `keys`. */
  of(keys: readonly string[]): ReadRecord[] {
    return this.records.filter((record) => keys.includes(record.key));
  }

  /** Resolves once `done` holds for what was read, checking every 100 ms; rejects after `timeoutMs` saying `what`. */
  async until(what: string, done: (records: readonly ReadRecord[]) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.records)) {
      if (this.failure !== undefined) {
        throw new Error(`${what}: reading stopped`, { cause: this.failure });
      }
      if (Date.now() > deadline) {
        throw new Error(`${what}: not read within ${timeoutMs} ms (${this.records.length} records read)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** avsc decodes records as instances of its own classes; tests compare plain objects. */
function plain(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** The union branch of a decoded value's `body`: its record name without the namespace, and its fields. */
export function bodyOf(value: Record<string, unknown>): { readonly kind: string; readonly fields: any } {
  const [name, fields] = Object.entries(value.body as Record<string, unknown>)[0];
  return { kind: name.slice(name.lastIndexOf('.') + 1), fields };
}
