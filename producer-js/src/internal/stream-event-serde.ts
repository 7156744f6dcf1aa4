import { STREAM_EVENT_SCHEMA_FILE_TEXT } from '../generated/build-info';
import { AvroSerializer, SchemaRegistryClient, SerdeType, TOPIC_VALUE_SUBJECTS } from './registry';
import type { StreamEventRecord } from './stream-events';

/**
 * The schema text the meter registers: the published file as compact JSON, with its fields in the file's order.
 * That is the text Avro's `Schema.toString()` gives, which the Java library registers; Apicurio de-duplicates on the
 * raw text, so both libraries get one schema id under the subject instead of one version each.
 */
export const STREAM_EVENT_SCHEMA_TEXT = JSON.stringify(JSON.parse(STREAM_EVENT_SCHEMA_FILE_TEXT));

/**
 * Turns stream events into the Confluent wire format (magic byte 0, the schema id as a big-endian int32, Avro binary)
 * with Confluent's own serializer, against the schema registered under `<topic>-value`.
 *
 * The serializer is told the id to use: with `autoRegisterSchemas` it would register a schema it infers from each
 * value (records named Record1, Record2, ...), which the registry rightly refuses as incompatible with the published
 * one.
 */
export class StreamEventSerde {
  private registration: Promise<AvroSerializer> | undefined;

  constructor(private readonly client: SchemaRegistryClient, private readonly topic: string,
              private readonly registryUrl: string) {}

  /** The subject the schema goes under (TopicNameStrategy). */
  get subject(): string {
    return `${this.topic}-value`;
  }

  /**
   * Registers the schema (idempotent: the same text keeps its id) once per meter. A failure is not kept, so the next
   * call asks again, and it names the registry.
   */
  ready(): Promise<AvroSerializer> {
    if (this.registration === undefined) {
      const registering = this.client.register(this.subject, { schemaType: 'AVRO', schema: STREAM_EVENT_SCHEMA_TEXT })
        .then((id) => new AvroSerializer(this.client, SerdeType.VALUE, { useSchemaId: id, ...TOPIC_VALUE_SUBJECTS }))
        .catch((error: unknown) => {
          this.registration = undefined;
          throw new Error(`schema registry unavailable at [${this.registryUrl}]: registering ${this.subject} failed: `
            + describe(error), { cause: error });
        });
      this.registration = registering;
    }
    return this.registration;
  }

  /** The event's record value; the first call also looks the id up (then it is cached). */
  async serialize(record: StreamEventRecord): Promise<Buffer> {
    const serializer = await this.ready();
    try {
      return await serializer.serialize(this.topic, record);
    } catch (error) {
      throw new Error(`serializing with the schema registry at [${this.registryUrl}] failed: ${describe(error)}`,
        { cause: error });
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
