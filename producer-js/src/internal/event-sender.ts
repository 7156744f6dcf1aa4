import { DeliveryFailedError, type EventType } from '../errors';
import type { DeliveryReporter } from './delivery-reporter';
import type { ProducerSlot } from './kafka-producer';
import type { StreamEventSerde } from './stream-event-serde';
import type { StreamEventRecord } from './stream-events';

/** Told once what became of one event. */
export interface EventOutcome {
  delivered(): void;
  failed(failure: DeliveryFailedError): void;
}

/** One event to write, with the time (on the sender's monotonic clock) by which it is written or reported failed. */
export interface OutgoingEvent {
  readonly record: StreamEventRecord;
  readonly type: EventType;
  readonly deadline: number;
  /** The bound the deadline came from, for messages. */
  readonly boundMs: number;
  readonly outcome: EventOutcome;
}

export interface SenderLimits {
  readonly topic: string;
  readonly bootstrapServers: string;
  /** Events taken and not yet settled at most: the meter's memory bound. */
  readonly maxQueuedEvents: number;
  /** Events serialized and sent per round at most. */
  readonly maxBatchEvents: number;
  /**
   * Value bytes per request at most. The broker refuses a partition's record batch above its message size limit
   * (1 MiB by default) as a whole, so requests stay well under it.
   */
  readonly maxRequestBytes: number;
}

interface Taken {
  readonly event: OutgoingEvent;
  value?: Buffer;
  settled: boolean;
}

/**
 * A deadline passed before Kafka answered; each event says which of its bounds that was, and the last error the
 * request met, if any.
 */
class DeadlineExceeded extends Error {
  constructor(readonly lastError?: unknown) {
    super('deadline exceeded');
  }
}

/** The first pause before a request is tried again; doubled up to eight times that. */
const RETRY_PAUSE_MS = 100;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Writes the meter's events in the order they were taken, with one request in flight at a time: the order of a
 * stream's events on the wire is the order of its calls, whatever the partition leaders do, and a failed request
 * never overtakes a later one. Everything taken while a request is in flight goes in the next one, so batches grow
 * with the load (Kafka's linger, without a timer).
 *
 * Every taken event is settled exactly once: acknowledged, or failed with a {@link DeliveryFailedError} by its
 * deadline at the latest, reported to the {@link DeliveryReporter} and to the event's own outcome. When a request of
 * several events is refused by the broker (an event too large, say), each of them is sent again alone, so only the
 * events the broker refuses fail. A request whose outcome stayed unknown (kafkajs gave up on a lost answer) is sent
 * again by a new producer. Either way an event can then be written twice, with the same event id and seq, which the
 * topology applies once.
 */
export class EventSender {
  private readonly queue: Taken[] = [];
  private inFlight: readonly Taken[] = [];
  private running = false;
  private taken = 0;
  private settled = 0;
  private readonly idleWaiters: Array<{ readonly upTo: number; readonly resolve: () => void }> = [];

  constructor(private readonly limits: SenderLimits, private readonly serde: StreamEventSerde,
              private readonly producers: ProducerSlot, private readonly reporter: DeliveryReporter,
              private readonly monotonic: () => number) {}

  /**
   * Takes an event for sending; returns at once.
   *
   * @throws DeliveryFailedError (after reporting it) when the meter already holds `maxQueuedEvents` unsettled events
   */
  take(event: OutgoingEvent): void {
    if (this.queue.length + this.inFlight.length >= this.limits.maxQueuedEvents) {
      const failure = this.failure(event, `was not sent: the meter holds ${this.limits.maxQueuedEvents} events not yet`
        + ` acknowledged (maxQueuedEvents); Kafka at ${this.limits.bootstrapServers} is slow or unreachable`);
      this.reporter.refused(failure);
      throw failure;
    }
    this.queue.push({ event, settled: false });
    this.taken++;
    this.reporter.accepted(event.type);
    if (!this.running) {
      this.running = true;
      // On the next turn of the event loop: whatever the caller takes in this turn goes in the same request.
      setImmediate(() => void this.run());
    }
  }

  /** Resolves once every event taken before this call is settled. */
  idle(): Promise<void> {
    if (this.settled >= this.taken) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push({ upTo: this.taken, resolve }));
  }

  /** Fails every event not settled yet, in flight or queued, with `reason`: for the meter's close at its deadline. */
  abandon(reason: string): void {
    const pending = [...this.inFlight, ...this.queue.splice(0)];
    for (const taken of pending) {
      this.settle(taken, new Error(reason));
    }
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.limits.maxBatchEvents);
        this.inFlight = batch;
        await this.deliver(batch);
      }
    } catch (bug) {
      // Nothing above should throw; if it does, no event is left without an outcome.
      this.inFlight.forEach((taken) => this.settle(taken, bug));
    } finally {
      this.inFlight = [];
      this.running = false;
      if (this.queue.length > 0) {
        this.running = true;
        setImmediate(() => void this.run());
      }
    }
  }

  private async deliver(batch: readonly Taken[]): Promise<void> {
    const prepared: Taken[] = [];
    for (const taken of batch) {
      if (taken.settled) {
        continue;
      }
      try {
        const value = this.serde.serialize(taken.event.record);
        // Only the serializer's own path is asynchronous (and asks the registry): it alone needs the deadline.
        taken.value = value instanceof Promise ? await this.beforeDeadline(value, taken.event.deadline) : value;
        prepared.push(taken);
      } catch (error) {
        this.settle(taken, error);
      }
    }
    for (const request of bySize(prepared, this.limits.maxRequestBytes)) {
      await this.send(request);
    }
  }

  /**
   * Sends the request until Kafka acknowledges it or each event's deadline passes. A failure that is not the broker's
   * refusal (a lost connection, a timeout, a leader moving) is tried again after a pause, with a new producer: each
   * event fails at its own deadline, not at the first one of the request.
   */
  private async send(request: readonly Taken[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const live = request.filter((taken) => !taken.settled);
      if (live.length === 0) {
        return;
      }
      const deadline = Math.min(...live.map((taken) => taken.event.deadline));
      try {
        await this.beforeDeadline(this.producers.send(this.limits.topic, live.map((taken) => ({
          key: taken.event.record.reservation_id, value: taken.value as Buffer }))), deadline);
        live.forEach((taken) => this.settle(taken));
        return;
      } catch (error) {
        this.producers.replace();
        if (isRefusal(error)) {
          await this.isolateRefused(live, error);
          return;
        }
        const now = this.monotonic();
        // A timer may fire a fraction of a millisecond before the clock reads its deadline: the earliest one is due.
        const due = error instanceof DeadlineExceeded ? Math.max(now, deadline) : now;
        const expired = error instanceof DeadlineExceeded ? error : new DeadlineExceeded(error);
        live.filter((taken) => taken.event.deadline <= due).forEach((taken) => this.settle(taken, expired));
        const waiting = live.filter((taken) => !taken.settled);
        if (waiting.length > 0) {
          const next = Math.min(...waiting.map((taken) => taken.event.deadline));
          await pause(Math.min(RETRY_PAUSE_MS * 2 ** Math.min(attempt, 3), next - now));
        }
      }
    }
  }

  /** The broker refused a request: each event goes again alone, so only those the broker refuses fail. */
  private async isolateRefused(live: readonly Taken[], error: unknown): Promise<void> {
    if (live.length === 1) {
      this.settle(live[0], error);
      return;
    }
    for (const taken of live) {
      await this.send([taken]);
    }
  }

  private beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
    const left = deadline - this.monotonic();
    if (left <= 0) {
      work.catch(() => undefined);
      return Promise.reject(new DeadlineExceeded());
    }
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineExceeded()), left);
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
  }

  private settle(taken: Taken, error?: unknown): void {
    if (taken.settled) {
      return;
    }
    taken.settled = true;
    this.settled++;
    if (error === undefined) {
      this.reporter.delivered();
      taken.event.outcome.delivered();
    } else {
      const failure = this.failure(taken.event, `was not written to ${this.limits.topic}: ${this.reason(taken, error)}`,
        error instanceof DeadlineExceeded ? error.lastError : error);
      this.reporter.failed(failure);
      taken.event.outcome.failed(failure);
    }
    while (this.idleWaiters.length > 0 && this.idleWaiters[0].upTo <= this.settled) {
      this.idleWaiters.shift()?.resolve();
    }
  }

  private reason(taken: Taken, error: unknown): string {
    if (error instanceof DeadlineExceeded) {
      const last = error.lastError === undefined ? this.producers.lastClientError : describe(error.lastError);
      return `not acknowledged by Kafka at ${this.limits.bootstrapServers} within ${taken.event.boundMs} ms: the broker`
        + ` is unreachable or slow, or the topic does not exist${last === undefined ? '' : ` (last error: ${last})`}`;
    }
    return describe(error);
  }

  private failure(event: OutgoingEvent, what: string, cause?: unknown): DeliveryFailedError {
    const record = event.record;
    return new DeliveryFailedError(`${event.type} (seq ${record.seq}) of reservation ${record.reservation_id} ${what}`,
      record.reservation_id, record.seq, event.type, cause);
  }
}

/** Consecutive runs of events whose values add up to at most `maxBytes` (an event larger than that goes alone). */
function* bySize(events: readonly Taken[], maxBytes: number): Generator<Taken[]> {
  let run: Taken[] = [];
  let bytes = 0;
  for (const taken of events) {
    const size = taken.value?.length ?? 0;
    if (run.length > 0 && bytes + size > maxBytes) {
      yield run;
      run = [];
      bytes = 0;
    }
    run.push(taken);
    bytes += size;
  }
  if (run.length > 0) {
    yield run;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Whether the broker refused the request (a non-retriable answer), as opposed to not answering. */
function isRefusal(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
    const retriable = (cause as { retriable?: unknown }).retriable;
    if (cause.name === 'KafkaJSProtocolError' && retriable === false) {
      return true;
    }
    if (cause.name === 'KafkaJSNonRetriableError') {
      return true;
    }
  }
  return false;
}
