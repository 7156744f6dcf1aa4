/**
 * Budget Meter for Node.js workers: each streaming LLM call becomes Reserve / Chunk / Usage / End events on Kafka
 * (Avro, Confluent wire format) instead of synchronous reserve, extend, commit and release calls to a budget server.
 *
 * - `createBudgetMeter()` (one per process) opens `MeteredStream`s with `reserveForStream()`: Reserve, then chunks,
 *   usage, and one End, in order, keyed by the reservation id, with a contiguous `seq`.
 * - Failures are explicit: `DeliveryFailedError` in the promises, the `onDeliveryFailure` listener, `metrics()`.
 * - With the budget ledger (`decisions: 'WAIT'` or `'OPTIMISTIC'`), each stream's `decision` comes from the
 *   decisions topic; a refusal is a `BudgetRefusedError`, a missing answer a `DecisionTimeoutError`.
 *
 * The event contract is `schemas/published/StreamEvent` of the repository; the build copies its newest version in.
 */
export { createBudgetMeter, type BudgetMeter } from './budget-meter';
export type { MeteredStream, CommitMetrics } from './metered-stream';
export {
  DEFAULT_BLOCK_TIMEOUT_MS, DEFAULT_CHUNK_INTERVAL_MS, DEFAULT_CHUNK_TOKEN_THRESHOLD, DEFAULT_DELIVERY_TIMEOUT_MS,
  DEFAULT_MAX_QUEUED_EVENTS, DEFAULT_TOPIC_PREFIX,
  type BudgetMeterOptions, type MeterLogger, type KafkaClientOptions, type BasicAuthCredentials,
} from './options';
export {
  UNITS, OVERAGE_POLICIES, DEFAULT_TTL_MS, DEFAULT_GRACE_PERIOD_MS,
  type StreamReservationOptions, type StreamReservation, type Caps, type Pricing, type Unit, type OveragePolicy,
} from './reservation';
export type { Usage } from './usage';
export type { MeterMetrics } from './metrics';
export {
  DECISION_MODES, DEFAULT_DECISION_TIMEOUT_MS, type Decision, type DecisionKind, type DecisionMode,
} from './decision';
export {
  BudgetMeterError, BudgetRefusedError, DecisionTimeoutError, DeliveryFailedError, StreamEndedError, type EventType,
} from './errors';
