import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage, PartitionAssigner } from 'kafkajs';
import { AssignerProtocol } from 'kafkajs';
import type { Decision } from '../decision';
import { BudgetMeterError, DecisionTimeoutError } from '../errors';
import type { StreamReservation } from '../reservation';
import { decisionOf } from './decision-record';
import type { DecisionSource } from './decision-source';
import { kafkaClient, type KafkaConnection } from './kafka-producer';
import { PendingDecisions } from './pending-decisions';
import { AvroDeserializer, SerdeType, TOPIC_VALUE_SUBJECTS, type SchemaRegistryClient } from './registry';
import { defaultReplyPartition } from './reply-partition';

export interface LedgerDecisionSettings {
  /** `<prefix>decisions`. */
  readonly topic: string;
  readonly workerId: string;
  /** The partition to read; by default the one the worker id hashes to. */
  readonly replyPartition: number | undefined;
  readonly decisionTimeoutMs: number;
  readonly blockTimeoutMs: number;
  readonly connection: KafkaConnection;
  /** The meter's registry client: the ledger registered the Decision schema, and its id is in every record. */
  readonly registry: SchemaRegistryClient;
  readonly monotonic: () => number;
}

/** Positioning calls the admin API a few times: short retries, since the caller's block timeout bounds it all. */
const ADMIN_RETRY = Object.freeze({ initialRetryTime: 100, maxRetryTime: 1_000, retries: 3 });
/**
 * The reader's own retries ride out a broker blip of about ten seconds (the decision timeout's order) before
 * kafkajs gives up and restarts it.
 */
const READER_RETRY = Object.freeze({ initialRetryTime: 300, maxRetryTime: 3_000, retries: 8 });
/** Between positioning attempts within one call. */
const RETRY_PAUSE_MS = 500;
/**
 * A fetch that finds nothing returns after this long (the Java library's reader uses 50 ms): it bounds what a
 * decision can wait on an idle partition for a read_committed fetch to see its transaction's commit, at a few idle
 * fetches per second.
 */
const MAX_WAIT_TIME_MS = 100;

/**
 * The budget ledger's decisions on one meter's reservations, read from one partition of the decisions topic: the
 * meter's reply partition, which every Reserve names. Reads read_committed (kafkajs's default isolation: the ledger
 * writes in transactions, so an aborted decision is never seen), settles each expected reservation's promise with
 * its decision and ignores the rest (other workers share the partition; their records are not even decoded). An
 * expected decision that does not come within the decision timeout fails alone, with a DecisionTimeoutError.
 *
 * kafkajs has no `assign()`, so the reader is the only member of a consumer group of its own (a random group id per
 * reader), and:
 *
 * - **one partition, nothing else fetched**: the group's assignor gives its member the reply partition alone, so the
 *   consumer fetches no other partition, at no time (pausing the others would fetch them until paused);
 * - **no decision missed**: before the first Reserve names the partition, the reader reads the partition's end
 *   offset (the high watermark) with the admin client. Every decision on a Reserve written afterwards is appended
 *   after that, so its offset is at least that. The reader then joins its group, and kafkajs emits the join event
 *   inside the join, before it starts its fetch loop: the handler seeks to that offset there, so the first fetch,
 *   and every later one, reads from it. The same handler seeks again after every later join (a rebalance, or the
 *   consumer restarted after an error) to the offset after the last record read, so no record is skipped then
 *   either. Nothing is committed: the position never depends on group offsets, and the group leaves none behind.
 *   (kafkajs's offset reset, which a seek overrides, is set to the earliest offset: the safe side, should a fetch
 *   ever come without a seek.) Only a stop kafkajs does not restart loses the position: then every decision still
 *   awaited fails at once, and the next `reserveForStream` positions a new reader;
 * - **bounded**: positioning counts against the caller's deadline (`replyPartition`), and a missing topic, a reply
 *   partition the topic lacks or an unreachable broker rejects with a DecisionTimeoutError naming the topic and the
 *   last problem; no Reserve is written then, so none names a partition that nobody reads.
 *
 * The first positioning starts when the meter is created (`start`), so the first stream does not also wait for a
 * group join (up to the broker's `group.initial.rebalance.delay.ms`, 3 s by default).
 */
export class LedgerDecisions implements DecisionSource {
  private readonly kafka: Kafka;
  private readonly pending: PendingDecisions;
  private readonly deserializer: AvroDeserializer;
  private reader: ReplyPartitionReader | undefined;
  private attempt: Promise<void> | undefined;
  /** What positioning is doing, for the error of a caller whose deadline passed meanwhile. */
  private stage = 'not started';
  private lastProblem: string | undefined;
  private lastClientError: string | undefined;
  private closed = false;

  constructor(private readonly settings: LedgerDecisionSettings) {
    this.kafka = kafkaClient(settings.connection, ADMIN_RETRY, (line) => {
      this.lastClientError = line;
    });
    this.pending = new PendingDecisions(settings.decisionTimeoutMs, (reservationId) => new DecisionTimeoutError(
      `no decision on reservation ${reservationId} within ${settings.decisionTimeoutMs} ms on ${settings.topic}: is`
      + ' the topology running with metering.authority=LEDGER?', settings.topic, reservationId));
    this.deserializer = new AvroDeserializer(settings.registry, SerdeType.VALUE, TOPIC_VALUE_SUBJECTS);
  }

  /** Starts positioning in the background; a failure is kept for the first caller's message. */
  start(): void {
    void this.startAttempt().catch(() => undefined);
  }

  async replyPartition(deadline: number): Promise<number> {
    for (;;) {
      this.ensureOpen();
      if (this.reader !== undefined) {
        return this.reader.partition;
      }
      const attempt = this.startAttempt();
      const outcome = await settledWithin(attempt, deadline - this.settings.monotonic());
      if (outcome === 'late') {
        throw this.unreadable();
      }
      if (outcome instanceof NoSuchReplyPartition) {
        // Trying again within the call cannot help: the topic has fewer partitions than configured.
        throw new DecisionTimeoutError(`the decisions topic ${this.settings.topic} cannot be read: ${outcome.message}`,
          this.settings.topic);
      }
      if (outcome !== 'done') {
        const left = deadline - this.settings.monotonic();
        if (left <= 0) {
          throw this.unreadable();
        }
        await pause(Math.min(RETRY_PAUSE_MS, left));
      }
    }
  }

  expect(reservation: StreamReservation): Promise<Decision> {
    const id = reservation.reservationId;
    const decision = this.pending.expect(id, () => new DecisionTimeoutError(`no decision on reservation ${id}: a new`
      + ' stream of the same reservation id was reserved on this meter', this.settings.topic, id));
    if (this.closed || this.reader === undefined) {
      // The reader stopped between positioning and this Reserve: its decision might be missed, so it fails now.
      this.pending.fail(id, new DecisionTimeoutError(`no decision on reservation ${id}: ${this.closed
        ? 'the meter is closed' : `reading ${this.settings.topic} stopped (${this.lastProblem ?? 'unknown'})`}`,
      this.settings.topic, id));
    }
    return decision;
  }

  forget(reservationId: string): void {
    this.pending.forget(reservationId);
  }

  async close(timeoutMs: number): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.pending.failAll((id) => new DecisionTimeoutError(`no decision on reservation ${id}: the meter is closed`,
      this.settings.topic, id));
    const stopping = (async () => {
      // An attempt under way sees `closed` at its next step and stops what it started.
      await this.attempt?.catch(() => undefined);
      const reader = this.reader;
      this.reader = undefined;
      await reader?.stop();
    })();
    await settledWithin(stopping, timeoutMs);
  }

  private startAttempt(): Promise<void> {
    if (this.attempt === undefined) {
      const attempt = this.position().finally(() => {
        if (this.attempt === attempt) {
          this.attempt = undefined;
        }
      });
      attempt.catch(() => undefined);
      this.attempt = attempt;
    }
    return this.attempt;
  }

  /** One attempt: the partition, its end offset, then a reader of it that joined its group. */
  private async position(): Promise<void> {
    const { topic } = this.settings;
    const admin = this.kafka.admin({ retry: ADMIN_RETRY });
    let reader: ReplyPartitionReader | undefined;
    try {
      this.stage = `connecting to Kafka at ${this.settings.connection.brokers.join(',')}`;
      await admin.connect();
      this.ensureOpen();
      this.stage = `reading the partitions of ${topic}`;
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] }).catch((error: unknown) => {
        throw (error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION'
          ? new Error(`topic ${topic} does not exist`, { cause: error }) : error;
      });
      const count = metadata.topics.find((described) => described.name === topic)?.partitions.length ?? 0;
      if (count === 0) {
        throw new Error(`topic ${topic} does not exist`);
      }
      const partition = this.settings.replyPartition ?? defaultReplyPartition(this.settings.workerId, count);
      if (partition >= count) {
        throw new NoSuchReplyPartition(`replyPartition ${partition} is not a partition of ${topic}, which has ${count}`);
      }
      this.stage = `reading the end offset of ${topic} partition ${partition}`;
      const end = (await admin.fetchTopicOffsets(topic)).find((offsets) => offsets.partition === partition)?.offset;
      if (end === undefined) {
        throw new Error(`no end offset of ${topic} partition ${partition}`);
      }
      this.ensureOpen();
      reader = new ReplyPartitionReader(this.kafka, this.settings.workerId, topic, partition, (message) => this.read(message),
        (stopped, error) => this.readerStopped(stopped, error));
      this.stage = `joining the consumer group ${reader.groupId} to read ${topic} partition ${partition}`;
      await reader.start(end);
      this.ensureOpen();
      this.reader = reader;
      this.lastProblem = undefined;
    } catch (error) {
      const clientError = this.lastClientError;
      this.lastClientError = undefined;
      this.lastProblem = `${describe(error)}${clientError === undefined || clientError.includes(messageOf(error))
        ? '' : `; last client error: ${clientError}`}`;
      await reader?.stop();
      throw error;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** A record of the reply partition: decoded only when this meter waits for a decision on its key. */
  private async read(message: KafkaMessage): Promise<void> {
    const reservationId = message.key?.toString('utf8');
    if (reservationId === undefined || !this.pending.has(reservationId)) {
      return;
    }
    try {
      if (message.value === null) {
        throw new Error('the record has no value');
      }
      const record = await this.deserializer.deserialize(this.settings.topic, message.value);
      this.pending.settle(reservationId, decisionOf(record as Record<string, unknown>));
    } catch (error) {
      this.pending.fail(reservationId, new BudgetMeterError(`the decision on reservation ${reservationId} (offset`
        + ` ${message.offset} of ${this.settings.topic}) could not be decoded: ${describe(error)}`, { cause: error }));
    }
  }

  /** kafkajs stopped the reader and will not restart it: its position is lost. */
  private readerStopped(stopped: ReplyPartitionReader, error: unknown): void {
    if (this.reader !== stopped) {
      return;
    }
    this.reader = undefined;
    this.lastProblem = describe(error);
    this.pending.failAll((id) => new DecisionTimeoutError(`no decision on reservation ${id}: reading`
      + ` ${this.settings.topic} failed (${this.lastProblem})`, this.settings.topic, id, error));
    void stopped.stop();
  }

  /** Names what failed last, or else what was still under way when the caller's deadline passed. */
  private unreadable(): DecisionTimeoutError {
    return new DecisionTimeoutError(`the decisions topic ${this.settings.topic} could not be read within`
      + ` ${this.settings.blockTimeoutMs} ms (${this.lastProblem ?? `still ${this.stage}${this.lastClientError
        === undefined ? '' : `; last client error: ${this.lastClientError}`}`})`, this.settings.topic);
  }

  private ensureOpen(): void {
    if (this.closed) {
      throw new DecisionTimeoutError(`the meter is closed: ${this.settings.topic} is no longer read`,
        this.settings.topic);
    }
  }
}

/** The reply partition configured is not a partition of the topic. */
class NoSuchReplyPartition extends Error {}

/**
 * One consumer of the reply partition, the only member of its own group. See {@link LedgerDecisions} for why its
 * position cannot skip a decision.
 */
class ReplyPartitionReader {
  readonly groupId: string;
  private readonly consumer: Consumer;
  /** The offset of the next record to read: the end offset read before the first Reserve, then after each record. */
  private next = '0';
  private running = false;

  constructor(kafka: Kafka, workerId: string, private readonly topic: string, readonly partition: number,
              private readonly onRecord: (message: KafkaMessage) => Promise<void>,
              private readonly onStopped: (reader: ReplyPartitionReader, error: unknown) => void) {
    // Random, so the group is this reader's alone; the worker id tells an operator whose it is.
    this.groupId = `budget-meter-decisions-${workerId}-${randomUUID()}`;
    this.consumer = kafka.consumer({
      groupId: this.groupId,
      partitionAssigners: [onlyPartition(topic, partition)],
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: MAX_WAIT_TIME_MS,
      // kafkajs restarts a consumer after a retriable failure; before this reader was positioned, the attempt fails
      // instead (the caller tries again within its deadline).
      retry: { ...READER_RETRY, restartOnFailure: () => Promise.resolve(this.running) },
    });
  }

  /** Resolves once the consumer joined its group with the partition, its first fetch set to read from `end`. */
  async start(end: string): Promise<void> {
    this.next = end;
    let joined = false;
    let failure: unknown;
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      if (payload.memberAssignment[this.topic]?.includes(this.partition)) {
        joined = true;
        // Called inside kafkajs's join, before its fetch loop (re)starts: the next fetch reads from here.
        this.consumer.seek({ topic: this.topic, partition: this.partition, offset: this.next });
      }
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      failure ??= payload.error;
      if (this.running && !payload.restart) {
        this.running = false;
        this.onStopped(this, payload.error);
      }
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    // Resolves after the join, or after a failure of it (reported as a crash).
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        await this.onRecord(message);
        this.next = (BigInt(message.offset) + 1n).toString();
      },
    });
    if (!joined) {
      throw failure ?? new Error(`the consumer group ${this.groupId} gave no assignment of ${this.topic} partition`
        + ` ${this.partition}`);
    }
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect().catch(() => undefined);
  }
}

/**
 * The assignor of a reader's own group: its member reads the reply partition alone. The group id is random, so the
 * reader is the only member (and its leader, which runs this); should kafkajs ever rejoin under a new member id while
 * the old one lingers, both are this reader and both get the same partition.
 */
function onlyPartition(topic: string, partition: number): PartitionAssigner {
  const name = 'BudgetMeterReplyPartition';
  return () => ({
    name,
    version: 0,
    assign: ({ members }) => Promise.resolve(members.map(({ memberId }) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: { [topic]: [partition] },
        userData: Buffer.alloc(0) }),
    }))),
    protocol: ({ topics }) => ({ name, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics,
      userData: Buffer.alloc(0) }) }),
  });
}

/** 'done', the failure, or 'late' when `work` did not settle within `ms`. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<'done' | 'late' | unknown> {
  if (ms <= 0) {
    return 'late';
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const, (failure: unknown) => failure ?? new Error('failed')),
      late]);
  } finally {
    clearTimeout(timer);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
