import { Kafka, type KafkaConfig, type Message, type Producer, Partitioners, type RetryOptions,
  logLevel as kafkaLogLevel } from 'kafkajs';

/** What the caller may add to the Kafka client's configuration: security and naming, nothing the guarantees rest on. */
export type KafkaClientOptions = Pick<KafkaConfig, 'ssl' | 'sasl' | 'clientId'> & {
  /** kafkajs's own log lines at or above this level go to the meter's logger; none by default. */
  readonly logLevel?: 'error' | 'warn' | 'info' | 'debug';
};

/** How the meter reaches Kafka, and the bounds it derives from its timeouts. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Bound on one connection attempt. */
  readonly connectionTimeoutMs: number;
  /** Bound on one request (and the broker's wait for acks=all). */
  readonly requestTimeoutMs: number;
  readonly options: KafkaClientOptions;
  readonly logger: { warn(message: string): void };
}

const LEVELS = { error: kafkaLogLevel.ERROR, warn: kafkaLogLevel.WARN, info: kafkaLogLevel.INFO,
  debug: kafkaLogLevel.DEBUG } as const;
/**
 * A kafkajs client for the meter's connection: its brokers, bounds and security, its log lines at the caller's level
 * on the meter's logger, and every ERROR line to `onError` (failure messages name the client's last error, for
 * example the refused connection). The producer and the decision reader each have their own.
 */
export function kafkaClient(connection: KafkaConnection, retry: RetryOptions, onError: (line: string) => void): Kafka {
  const forwardAt = connection.options.logLevel === undefined ? undefined : LEVELS[connection.options.logLevel];
  return new Kafka({
    ssl: connection.options.ssl,
    sasl: connection.options.sasl,
    clientId: connection.options.clientId ?? connection.clientId,
    brokers: [...connection.brokers],
    connectionTimeout: connection.connectionTimeoutMs,
    requestTimeout: connection.requestTimeoutMs,
    retry,
    logLevel: Math.max(kafkaLogLevel.ERROR, forwardAt ?? kafkaLogLevel.ERROR),
    logCreator: () => ({ level, namespace, log }) => {
      const line = `kafkajs ${namespace}: ${log.message}${log.error ? ` (${String(log.error)})` : ''}`;
      if (level === kafkaLogLevel.ERROR) {
        onError(line);
      }
      if (forwardAt !== undefined && level <= forwardAt) {
        connection.logger.warn(line);
      }
    },
  });
}

/**
 * kafkajs retries a failed request, and a failed connection, itself, under the same producer id (so the broker drops
 * a retried request it had written): a few quick attempts for a blip of a second or two. The meter retries longer
 * itself, with a new producer, up to each event's deadline. kafkajs's own retries cannot be stopped (not even by
 * disconnecting), so they stay short: a request the meter gave up on does not live on for long.
 */
const RETRY = Object.freeze({ initialRetryTime: 100, maxRetryTime: 1_000, retries: 3 });

/**
 * The meter's one Kafka producer at a time: idempotent (a producer id and per-partition sequence numbers, so a
 * retried request is never written twice), acks=all (enforced by kafkajs for an idempotent producer), at most one
 * request in flight per connection, and Kafka's own murmur2 partitioner, so a reservation id lands in the partition
 * the Java producer picks for it.
 *
 * After a failed request the producer is replaced by a new one (a new producer id). kafkajs rolls a partition's
 * sequence numbers back when a request fails, so its next request reuses them; had the failed request been written
 * after all (a timeout, a lost answer), the broker would take the next events for duplicates and acknowledge them
 * without writing them. A new producer id starts its sequences apart from the old ones. (Kafka's Java producer bumps
 * its epoch for the same reason.)
 */
export class ProducerSlot {
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private lastError: string | undefined;

  constructor(private readonly connection: KafkaConnection) {
    this.kafka = kafkaClient(connection, RETRY, (line) => {
      this.lastError = line;
    });
  }

  /** The client's latest error log line, for failure messages (for example the refused connection). */
  get lastClientError(): string | undefined {
    return this.lastError;
  }

  /** Writes the messages to the topic, connecting first when needed; rejects with the client's error. */
  async send(topic: string, messages: Message[]): Promise<void> {
    const producer = await this.connected();
    await producer.send({ topic, acks: -1, messages, timeout: this.connection.requestTimeoutMs });
  }

  /** Drops the current producer; the next send connects a new one. The old one disconnects in the background. */
  replace(): void {
    const old = this.producer;
    this.producer = undefined;
    this.connecting = undefined;
    if (old !== undefined) {
      old.disconnect().catch(() => undefined);
    }
  }

  /** Disconnects the current producer, if any. */
  async close(): Promise<void> {
    const current = this.producer;
    this.producer = undefined;
    this.connecting = undefined;
    await current?.disconnect().catch(() => undefined);
  }

  private connected(): Promise<Producer> {
    if (this.connecting === undefined) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: RETRY,
      });
      this.producer = producer;
      this.connecting = producer.connect().then(() => producer, (error: unknown) => {
        if (this.producer === producer) {
          this.replace();
        }
        throw error;
      });
    }
    return this.connecting;
  }
}
