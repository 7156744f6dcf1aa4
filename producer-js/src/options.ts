import { DECISION_MODES, DEFAULT_DECISION_TIMEOUT_MS, type DecisionMode } from './decision';
import type { DeliveryFailedError } from './errors';
import * as check from './internal/checks';
import type { MeterLogger } from './internal/delivery-reporter';
import type { KafkaClientOptions } from './internal/kafka-producer';
import type { BasicAuthCredentials } from './internal/registry';
import { defaultWorkerId } from './internal/worker-id';

export type { MeterLogger, KafkaClientOptions, BasicAuthCredentials };

/** The stream-events topic is `<topicPrefix>stream-events`; `budget.` unless told otherwise, as in the Java library. */
export const DEFAULT_TOPIC_PREFIX = 'budget.';
/** At most four chunk events per second per stream. */
export const DEFAULT_CHUNK_INTERVAL_MS = 250;
/** A chunk event at the latest every 100 tokens. */
export const DEFAULT_CHUNK_TOKEN_THRESHOLD = 100;
/** Bound of `reserveForStream`: Kafka and the registry reached, the Reserve acknowledged. */
export const DEFAULT_BLOCK_TIMEOUT_MS = 10_000;
/** Bound on every other event's acknowledgement, and the default bound of `close()`. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 60_000;
/** Events taken and not yet acknowledged at most: the meter's memory bound (a few hundred bytes each). */
export const DEFAULT_MAX_QUEUED_EVENTS = 100_000;

/**
 * How a meter reaches Kafka and the registry, and its bounds. Every field is checked when the meter is created; a bad
 * one throws a TypeError or RangeError naming it.
 */
export interface BudgetMeterOptions {
  /** Kafka's bootstrap servers, for example `kafka-1:9092,kafka-2:9092` or an array. Required. */
  readonly bootstrapServers: string | readonly string[];
  /** The Confluent-compatible schema registry URL(s), comma-separated. Required. */
  readonly schemaRegistryUrl: string;
  readonly topicPrefix?: string;
  /** The worker id written into every event, at most 256 characters; `<hostname>-<pid>` by default. */
  readonly workerId?: string;
  /** Whether chunks coalesce (true by default). Off, every `chunk()` call takes one event. */
  readonly coalescing?: boolean;
  /** The longest a coalesced token waits before a chunk event carries it; 250 ms by default. */
  readonly chunkIntervalMs?: number;
  /** Tokens (input plus output) after which a chunk event is due at once; 100 by default. */
  readonly chunkTokenThreshold?: number;
  /**
   * Bound on `reserveForStream`: connecting to Kafka, registering the schema, and the Reserve's acknowledgement;
   * 10 s by default. Each registry call gets a quarter of it, with one retry, as in the Java library.
   */
  readonly blockTimeoutMs?: number;
  /** Bound on every other event's acknowledgement, retries included, and the default bound of `close()`; 60 s, >= 1 s. */
  readonly deliveryTimeoutMs?: number;
  /** Events taken and not yet settled at most (100,000 by default); beyond, events are refused and reported. */
  readonly maxQueuedEvents?: number;
  /** Told about every event that was not written, on the event loop; it must be quick and must not throw. */
  readonly onDeliveryFailure?: (failure: DeliveryFailedError) => void;
  /** Where the meter's warnings go (one per second at most); `console` by default. */
  readonly logger?: MeterLogger;
  /** The clock of event times and chunk intervals, epoch ms; `Date.now` by default. */
  readonly clock?: () => number;
  /** TLS, SASL, client id and kafkajs's log level; what the guarantees rest on is the meter's own. */
  readonly kafka?: KafkaClientOptions;
  /** Registry credentials (Confluent's `basic.auth.*`). */
  readonly schemaRegistry?: { readonly basicAuthCredentials?: BasicAuthCredentials };
  /**
   * Who decides reservations: `EXTERNAL` by default (an authority outside decided before the stream was reserved, as
   * the topology's default `metering.authority=EXTERNAL` expects); `WAIT` or `OPTIMISTIC` with the budget ledger
   * (`metering.authority=LEDGER`), whose decisions the meter reads from one partition of `<topicPrefix>decisions`.
   * See `DecisionMode`.
   */
  readonly decisions?: DecisionMode;
  /** With the ledger: bound on its decision on one reservation, from the Reserve; 10 s by default. */
  readonly decisionTimeoutMs?: number;
  /**
   * With the ledger: the partition of the decisions topic this meter reads and its Reserves name; by default the one
   * its worker id hashes to (Kafka's murmur2, as the Java library picks it). Give each worker process its own when
   * there are as many partitions as processes, so none reads another's decisions.
   */
  readonly replyPartition?: number;
}

/** The checked settings of one meter. */
export interface MeterSettings {
  readonly bootstrapServers: readonly string[];
  readonly schemaRegistryUrl: string;
  readonly topicPrefix: string;
  readonly workerId: string;
  readonly coalescing: boolean;
  readonly chunkIntervalMs: number;
  readonly chunkTokenThreshold: number;
  readonly blockTimeoutMs: number;
  readonly deliveryTimeoutMs: number;
  readonly maxQueuedEvents: number;
  readonly onDeliveryFailure: (failure: DeliveryFailedError) => void;
  readonly logger: MeterLogger;
  readonly clock: () => number;
  readonly kafka: KafkaClientOptions;
  readonly basicAuthCredentials?: BasicAuthCredentials;
  readonly decisions: DecisionMode;
  readonly decisionTimeoutMs: number;
  readonly replyPartition: number | undefined;
}

/**
 * Checks the options and fills in the defaults.
 *
 * @throws TypeError or RangeError naming the first bad field
 */
export function meterSettings(options: BudgetMeterOptions): MeterSettings {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('the meter options are required');
  }
  const servers = typeof options.bootstrapServers === 'string' ? options.bootstrapServers.split(',')
    : options.bootstrapServers;
  if (!Array.isArray(servers)) {
    throw new TypeError('bootstrapServers is required (host:port, comma-separated, or an array)');
  }
  const bootstrapServers = servers.map((server: unknown) => String(server).trim()).filter((server) => server !== '');
  if (bootstrapServers.length === 0) {
    throw new TypeError('bootstrapServers is required (host:port, comma-separated, or an array)');
  }
  if (options.coalescing !== undefined && typeof options.coalescing !== 'boolean') {
    throw new TypeError('coalescing must be a boolean');
  }
  return Object.freeze({
    bootstrapServers: Object.freeze(bootstrapServers),
    schemaRegistryUrl: check.text('schemaRegistryUrl', options.schemaRegistryUrl, Number.MAX_SAFE_INTEGER),
    topicPrefix: options.topicPrefix === undefined ? DEFAULT_TOPIC_PREFIX
      : checkPrefix(options.topicPrefix),
    workerId: options.workerId === undefined ? defaultWorkerId() : check.text('workerId', options.workerId, 256),
    coalescing: options.coalescing ?? true,
    chunkIntervalMs: check.integer('chunkIntervalMs', options.chunkIntervalMs ?? DEFAULT_CHUNK_INTERVAL_MS, 1),
    chunkTokenThreshold: check.integer('chunkTokenThreshold',
      options.chunkTokenThreshold ?? DEFAULT_CHUNK_TOKEN_THRESHOLD, 1),
    blockTimeoutMs: check.integer('blockTimeoutMs', options.blockTimeoutMs ?? DEFAULT_BLOCK_TIMEOUT_MS, 1, 2 ** 31 - 1),
    deliveryTimeoutMs: check.integer('deliveryTimeoutMs', options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
      1_000, 2 ** 31 - 1),
    maxQueuedEvents: check.integer('maxQueuedEvents', options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS, 1),
    onDeliveryFailure: check.fn('onDeliveryFailure', options.onDeliveryFailure, () => undefined),
    logger: options.logger === undefined ? console : checkLogger(options.logger),
    clock: check.fn('clock', options.clock, Date.now),
    kafka: checkKafka(options.kafka ?? {}),
    basicAuthCredentials: options.schemaRegistry?.basicAuthCredentials,
    decisions: check.oneOf('decisions', options.decisions ?? 'EXTERNAL', DECISION_MODES),
    decisionTimeoutMs: check.integer('decisionTimeoutMs', options.decisionTimeoutMs ?? DEFAULT_DECISION_TIMEOUT_MS, 1,
      2 ** 31 - 1),
    replyPartition: check.optionalInteger('replyPartition', options.replyPartition, 0, 2 ** 31 - 1),
  });
}

function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string') {
    throw new TypeError('topicPrefix must be a string');
  }
  return prefix;
}

const KAFKA_OPTIONS = ['ssl', 'sasl', 'clientId', 'logLevel'];

/** Only security, naming and logging: brokers, retries, timeouts and the producer's settings are the meter's. */
function checkKafka(kafka: KafkaClientOptions): KafkaClientOptions {
  if (kafka === null || typeof kafka !== 'object') {
    throw new TypeError('kafka must be an object of client options');
  }
  for (const key of Object.keys(kafka)) {
    if (!KAFKA_OPTIONS.includes(key)) {
      throw new TypeError(`kafka.${key} cannot be set: the meter sets it (its ordering and bounded-time guarantees rest`
        + ` on it; the brokers and timeouts have options of their own). Allowed: ${KAFKA_OPTIONS.join(', ')}`);
    }
  }
  if (kafka.logLevel !== undefined) {
    check.oneOf('kafka.logLevel', kafka.logLevel, ['error', 'warn', 'info', 'debug']);
  }
  return kafka;
}

function checkLogger(logger: MeterLogger): MeterLogger {
  if (typeof logger?.warn !== 'function') {
    throw new TypeError('logger must have a warn(message) function');
  }
  return logger;
}
