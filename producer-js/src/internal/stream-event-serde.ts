import { STREAM_EVENT_SCHEMA_FILE_TEXT } from '../generated/build-info';
import { checkReservation } from '../reservation';
import { AvroSerializer, SchemaId, SchemaRegistryClient, SerdeType, TOPIC_VALUE_SUBJECTS } from './registry';
import { StreamEvents, type StreamEventRecord } from './stream-events';

/**
 * The schema text the meter registers: the published file as compact JSON, with its fields in the file's order.
 * That is the text Avro's `Schema.toString()` gives, which the Java library registers; Apicurio de-duplicates on the
 * raw text, so both libraries get one schema id under the subject instead of one version each.
 */
export const STREAM_EVENT_SCHEMA_TEXT = JSON.stringify(JSON.parse(STREAM_EVENT_SCHEMA_FILE_TEXT));

/** Turns one record into its record value, the Confluent wire format. */
type Encode = (record: StreamEventRecord) => Buffer | Promise<Buffer>;

interface Encoding {
  readonly encode: Encode;
  /** Whether it is the checked Avro type rather than one `serialize` call per event. */
  readonly direct: boolean;
}

/**
 * Turns stream events into the Confluent wire format (magic byte 0, the schema id as a big-endian int32, Avro binary)
 * with Confluent's own serializer, against the schema registered under `<topic>-value`.
 *
 * The serializer is told the id to use: with `autoRegisterSchemas` it would register a schema it infers from each
 * value (records named Record1, Record2, ...), which the registry rightly refuses as incompatible with the published
 * one.
 *
 * Per event, Confluent's `serialize` costs about 130 µs here (it stringifies the 10 KB schema for its cache keys on
 * every call), a hundred times the Avro encoding itself. So once the schema is registered, the serde checks that the
 * Avro type the serializer itself built from the registered schema, behind the serializer's own id prefix, gives
 * byte for byte what `serialize` gives for an event of each kind, and then encodes with that type. When the check
 * fails, or the registry gives the subject data-contract rules (which `serialize` would run), every event goes
 * through `serialize`.
 */
export class StreamEventSerde {
  private registration: Promise<Encoding> | undefined;
  private encoding: Encoding | undefined;

  constructor(private readonly client: SchemaRegistryClient, private readonly topic: string,
              private readonly registryUrl: string) {}

  /** The subject the schema goes under (TopicNameStrategy). */
  get subject(): string {
    return `${this.topic}-value`;
  }

  /** Whether events are encoded by the checked Avro type rather than one `serialize` call each (once ready). */
  get direct(): boolean {
    return this.encoding?.direct ?? false;
  }

  /**
   * Registers the schema (idempotent: the same text keeps its id) once per meter. A failure is not kept, so the next
   * call asks again, and it names the registry.
   */
  async ready(): Promise<void> {
    if (this.registration === undefined) {
      const registering = this.register().catch((error: unknown) => {
        this.registration = undefined;
        throw new Error(`schema registry unavailable at [${this.registryUrl}]: registering ${this.subject} failed: `
          + describe(error), { cause: error });
      });
      this.registration = registering;
    }
    this.encoding = await this.registration;
  }

  /**
   * The event's record value: at once (no promise) when the serde encodes directly, else the serializer's promise.
   *
   * @throws Error (or rejects with it) naming the registry when the event cannot be encoded
   */
  serialize(record: StreamEventRecord): Buffer | Promise<Buffer> {
    if (this.encoding === undefined) {
      return this.ready().then(() => this.serialize(record));
    }
    try {
      const value = this.encoding.encode(record);
      return value instanceof Promise ? value.catch((error: unknown) => { throw this.failure(error); }) : value;
    } catch (error) {
      throw this.failure(error);
    }
  }

  private failure(error: unknown): Error {
    return new Error(`serializing with the schema registry at [${this.registryUrl}] failed: ${describe(error)}`,
      { cause: error });
  }

  private async register(): Promise<Encoding> {
    const id = await this.client.register(this.subject, { schemaType: 'AVRO', schema: STREAM_EVENT_SCHEMA_TEXT });
    const serializer = new AvroSerializer(this.client, SerdeType.VALUE, { useSchemaId: id, ...TOPIC_VALUE_SUBJECTS });
    const viaSerializer: Encoding = { encode: (record) => serializer.serialize(this.topic, record), direct: false };
    const info = await this.client.getBySubjectAndId(this.subject, id);
    const rules = info.ruleSet;
    if ((rules?.domainRules?.length ?? 0) + (rules?.migrationRules?.length ?? 0)
        + (rules?.encodingRules?.length ?? 0) > 0) {
      return viaSerializer;
    }
    const [type] = await serializer.toType(info);
    const prefix = new SchemaId('AVRO', id).idToBytes();
    const direct = (record: StreamEventRecord) => Buffer.concat([prefix, type.toBuffer(record)]);
    for (const probe of probes()) {
      if (!(await viaSerializer.encode(probe)).equals(direct(probe))) {
        return viaSerializer;
      }
    }
    return { encode: direct, direct: true };
  }
}

/** One event of each kind, with every optional field set, for comparing the two encodings. */
function probes(): StreamEventRecord[] {
  const events = new StreamEvents('probe');
  const reservation = checkReservation({ reservationId: 'probe', tenant: 't', workspace: 'w', agent: 'a',
    dimensions: { d: 'v' }, actionKind: 'k', actionName: 'n', actionTags: ['x'], estimate: 2 ** 40, expiresAtMs: 1,
    caps: { maxTokens: 1, toolAllowlist: [] }, pricing: { inputTokenPrice: 1, outputTokenPrice: 2 },
    metadata: { m: 'é' } });
  return [
    StreamEvents.reserve(reservation, 2),
    StreamEvents.chunk({ outputTokens: 3, inputTokens: 2, chunks: 1 }),
    StreamEvents.usage({ tokensInput: 1, tokensOutput: 2, actual: 3, modelVersion: 'v', custom: { c: '1' } }, 'TOKENS'),
    StreamEvents.end('FAILED', 'reason'),
  ].map((body, seq) => events.envelope('probe', seq, 1_700_000_000_000, body));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
