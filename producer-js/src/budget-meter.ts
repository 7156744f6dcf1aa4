import { BudgetMeterError, DeliveryFailedError } from './errors';
import * as check from './internal/checks';
import { EXTERNAL_DECISIONS, type DecisionSource } from './internal/decision-source';
import { DeliveryReporter } from './internal/delivery-reporter';
import { EventSender } from './internal/event-sender';
import { KafkaMeteredStream, type StreamContext } from './internal/kafka-metered-stream';
import { ProducerSlot, type KafkaConnection } from './internal/kafka-producer';
import { LedgerDecisions } from './internal/ledger-decisions';
import { registryClient } from './internal/registry';
import { StreamEventSerde } from './internal/stream-event-serde';
import { StreamEvents } from './internal/stream-events';
import type { MeteredStream } from './metered-stream';
import type { MeterMetrics } from './metrics';
import { meterSettings, type BudgetMeterOptions, type MeterSettings } from './options';
import { checkReservation, type StreamReservationOptions } from './reservation';

/**
 * The worker's side of the budget pipeline: turns each streaming LLM call into events on the stream-events topic
 * (`budget.stream-events` by default), so the worker's token loop never waits on a budget server and a crashed worker
 * cannot leak a hold (the topology expires it). One meter per process, shared by every stream: one idempotent Kafka
 * producer (acks=all), one request in flight, one timer for coalesced chunks, whatever the number of streams.
 *
 * Bounds: `reserveForStream` settles within the block timeout; every other event is acknowledged or reported failed
 * within the delivery timeout; `flush()` and `close()` are bounded by those. Memory is bounded by `maxQueuedEvents`.
 * No event is dropped silently: every failure reaches the caller (a rejected promise, or a throw where an event was
 * refused), the `onDeliveryFailure` listener, `metrics()` and a warning on the logger.
 */
export interface BudgetMeter {
  /**
   * Opens a stream: writes its Reserve event (seq 0) and resolves with the handle for its chunks, usage and end once
   * Kafka acknowledged the Reserve, as the Cycles client's `reserveForStream` resolves once the reservation exists;
   * in WAIT mode only once the budget ledger allowed it.
   *
   * Rejects within the block timeout, counted from the call, with a `DeliveryFailedError` when Kafka or the registry
   * cannot be reached, for example "RESERVE (seq 0) of reservation r-1 was not written to budget.stream-events: not
   * acknowledged by Kafka at 127.0.0.1:9092 within 2000 ms: ...", with a TypeError or RangeError naming a bad field,
   * and with a `BudgetMeterError` when the meter is closed or a stream of the same reservation id is open on it.
   * With the ledger (WAIT or OPTIMISTIC), also with a `DecisionTimeoutError` naming the decisions topic when the meter
   * cannot read it (then no Reserve is written). In WAIT mode, after that, within the decision timeout: with a
   * `BudgetRefusedError` naming the reason code and scope when the ledger refused, with a `DecisionTimeoutError` when
   * it did not answer; the stream is cancelled first (End CANCELLED, `refused: <REASON>` or `no decision`).
   */
  reserveForStream(options: StreamReservationOptions): Promise<MeteredStream>;

  /**
   * Takes every pending coalesced chunk, then resolves once every event taken before the call is acknowledged or
   * failed (within the delivery timeout). Failures are reported as always; flush does not reject for them.
   */
  flush(): Promise<void>;

  /** The meter's counters. */
  metrics(): MeterMetrics;

  /** The full name of the topic the events go to. */
  readonly topic: string;

  /** The worker id written into every event. */
  readonly workerId: string;

  /**
   * Ends every stream still open with End(FAILED, "meter closed"), takes pending chunks, waits for outstanding events
   * and disconnects, all within `timeoutMs` (the delivery timeout by default); events not acknowledged by then fail
   * and are reported. Later `reserveForStream` calls reject; calling close again returns the same promise.
   */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Creates a meter without waiting for Kafka or the registry: the first `reserveForStream` connects and reports what
 * is unreachable.
 *
 * @throws TypeError or RangeError naming a missing or bad option
 */
export function createBudgetMeter(options: BudgetMeterOptions): BudgetMeter {
  return new KafkaBudgetMeter(meterSettings(options));
}

/**
 * Registry calls: two attempts of a quarter of the block timeout each, as in the Java library, so that a slow registry
 * leaves the Reserve half of its bound.
 */
const REGISTRY_ATTEMPTS = 2;
/** Events per request at most, and their value bytes (a partition's batch must stay under the broker's 1 MiB). */
const MAX_BATCH_EVENTS = 2_000;
const MAX_REQUEST_BYTES = 512 * 1024;
/** kafkajs's bound on one request, and the broker's wait for acks=all in it. */
const MAX_REQUEST_TIMEOUT_MS = 30_000;

class KafkaBudgetMeter implements BudgetMeter {
  readonly topic: string;
  private readonly reporter: DeliveryReporter;
  private readonly sender: EventSender;
  private readonly producers: ProducerSlot;
  private readonly serde: StreamEventSerde;
  private readonly decisions: DecisionSource;
  private readonly context: StreamContext;
  private readonly openStreams = new Map<string, KafkaMeteredStream>();
  private readonly scan: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly settings: MeterSettings) {
    this.topic = `${settings.topicPrefix}stream-events`;
    const monotonic = () => performance.now();
    this.reporter = new DeliveryReporter(settings.onDeliveryFailure, settings.logger, monotonic, settings.coalescing);
    const connection: KafkaConnection = {
      brokers: settings.bootstrapServers,
      clientId: `budget-meter-${settings.workerId}`,
      connectionTimeoutMs: Math.min(settings.blockTimeoutMs, 5_000),
      requestTimeoutMs: Math.min(MAX_REQUEST_TIMEOUT_MS, settings.deliveryTimeoutMs),
      options: settings.kafka,
      logger: settings.logger,
    };
    this.producers = new ProducerSlot(connection);
    const registryRequestMs = Math.max(1, Math.floor(settings.blockTimeoutMs / 4));
    const registry = registryClient({ url: settings.schemaRegistryUrl, requestTimeoutMs: registryRequestMs,
      maxRetries: REGISTRY_ATTEMPTS - 1, basicAuth: settings.basicAuthCredentials });
    this.serde = new StreamEventSerde(registry, this.topic, settings.schemaRegistryUrl);
    this.decisions = settings.decisions === 'EXTERNAL' ? EXTERNAL_DECISIONS : this.ledgerDecisions(connection, registry);
    this.sender = new EventSender({ topic: this.topic, bootstrapServers: settings.bootstrapServers.join(','),
      maxQueuedEvents: settings.maxQueuedEvents, maxBatchEvents: MAX_BATCH_EVENTS,
      maxRequestBytes: MAX_REQUEST_BYTES }, this.serde, this.producers, this.reporter, monotonic);
    this.context = {
      sender: this.sender, events: new StreamEvents(settings.workerId), reporter: this.reporter,
      clock: settings.clock, monotonic, coalescing: settings.coalescing, chunkIntervalMs: settings.chunkIntervalMs,
      chunkTokenThreshold: settings.chunkTokenThreshold, blockTimeoutMs: settings.blockTimeoutMs,
      deliveryTimeoutMs: settings.deliveryTimeoutMs, decisions: this.decisions,
      onEnded: (ended) => {
        if (this.openStreams.get(ended.reservationId) === ended) {
          this.openStreams.delete(ended.reservationId);
        }
      },
    };
    if (settings.coalescing) {
      // A quarter interval apart, so no coalesced token waits much longer than the interval; unref'd, so an idle
      // meter does not keep the process alive.
      this.scan = setInterval(() => this.takeDueChunks(), Math.max(1, Math.floor(settings.chunkIntervalMs / 4)));
      this.scan.unref();
    }
  }

  get workerId(): string {
    return this.settings.workerId;
  }

  async reserveForStream(options: StreamReservationOptions): Promise<MeteredStream> {
    this.ensureOpen();
    const deadline = performance.now() + this.settings.blockTimeoutMs;
    const reservation = checkReservation(options);
    if (this.openStreams.has(reservation.reservationId)) {
      throw new BudgetMeterError(`a stream of reservation ${reservation.reservationId} is already open on this meter`);
    }
    const stream = new KafkaMeteredStream(reservation, this.context);
    this.openStreams.set(reservation.reservationId, stream);
    try {
      // With the ledger, the reader is positioned on the reply partition before the Reserve names it.
      const [, replyPartition] = await Promise.all([this.registered(reservation.reservationId, deadline),
        this.decisions.replyPartition(deadline)]);
      // A close that started meanwhile ended the stream: writeReserve then refuses, and nothing is written.
      await stream.writeReserve(deadline, replyPartition);
    } catch (failure) {
      if (this.openStreams.get(reservation.reservationId) === stream) {
        this.openStreams.delete(reservation.reservationId);
      }
      throw failure;
    }
    this.reporter.streamOpened();
    if (this.settings.decisions === 'WAIT') {
      await stream.awaitAllowed();
    }
    return stream;
  }

  async flush(): Promise<void> {
    if (this.closing !== undefined) {
      return this.closing;
    }
    // Stops at the first refusal: the queue is full, and the remaining streams' chunks stay pending for the timer.
    for (const stream of this.openStreams.values()) {
      if (!stream.takePendingQuietly()) {
        break;
      }
    }
    await this.sender.idle();
  }

  metrics(): MeterMetrics {
    return this.reporter.snapshot(this.openStreams.size);
  }

  close(timeoutMs: number = this.settings.deliveryTimeoutMs): Promise<void> {
    if (this.closing === undefined) {
      check.integer('timeoutMs', timeoutMs, 0, 2 ** 31 - 1);
      this.closing = this.shutDown(timeoutMs);
    }
    return this.closing;
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    if (this.scan !== undefined) {
      clearInterval(this.scan);
    }
    const ended = [...this.openStreams.values()];
    ended.forEach((stream) => stream.endBecauseMeterClosed());
    // At once: decisions still awaited fail now (a WAIT reserveForStream rejects), and the reader disconnects while
    // the last events are acknowledged.
    const decisionsClosed = this.decisions.close(timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), Math.max(0, timeoutMs));
    });
    const late = await Promise.race([this.sender.idle().then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      this.sender.abandon(`the meter closed after ${timeoutMs} ms before Kafka acknowledged it`);
    }
    await this.producers.close();
    await decisionsClosed;
    const metrics = this.metrics();
    if (metrics.eventsFailed + metrics.eventsRefused > 0 || late) {
      this.settings.logger.warn(`Budget meter of worker ${this.workerId} closed: ${ended.length} open streams ended,`
        + ` ${JSON.stringify(metrics)}`);
    }
  }

  /**
   * The schema is registered (once per meter) by `deadline`, or the Reserve of `reservationId` fails as refused. The
   * registry's own bounds (a quarter of the block timeout per attempt, two attempts) normally end it first.
   */
  private async registered(reservationId: string, deadline: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the schema registry at [${this.settings.schemaRegistryUrl}] did not`
        + ` answer within ${this.settings.blockTimeoutMs} ms`)), Math.max(0, deadline - performance.now()));
    });
    try {
      await Promise.race([this.serde.ready(), late]);
    } catch (error) {
      const failure = new DeliveryFailedError(`RESERVE (seq 0) of reservation ${reservationId} was not sent: ${
        error instanceof Error ? error.message : String(error)}`, reservationId, 0, 'RESERVE', error);
      this.reporter.refused(failure);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The ledger's decisions, read from the meter's reply partition; positioning starts at once, in the background. */
  private ledgerDecisions(connection: KafkaConnection, registry: ReturnType<typeof registryClient>): DecisionSource {
    const decisions = new LedgerDecisions({ topic: `${this.settings.topicPrefix}decisions`,
      workerId: this.settings.workerId, replyPartition: this.settings.replyPartition,
      decisionTimeoutMs: this.settings.decisionTimeoutMs, blockTimeoutMs: this.settings.blockTimeoutMs,
      connection: { ...connection, clientId: `budget-meter-decisions-${this.settings.workerId}`,
        requestTimeoutMs: Math.min(MAX_REQUEST_TIMEOUT_MS, Math.max(1_000, this.settings.blockTimeoutMs)) },
      registry, monotonic: () => performance.now() });
    decisions.start();
    return decisions;
  }

  private takeDueChunks(): void {
    for (const stream of this.openStreams.values()) {
      stream.takeIfDue();
    }
  }

  private ensureOpen(): void {
    if (this.closing !== undefined) {
      throw new BudgetMeterError(`the budget meter of worker ${this.workerId} is closed`);
    }
  }
}
