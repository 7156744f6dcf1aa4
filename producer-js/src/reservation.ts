import { randomUUID } from 'node:crypto';
import * as check from './internal/checks';

/** The units of the Cycles protocol. USD_MICROCENTS: 1 = 10^-8 USD, so one dollar is 100,000,000. */
export type Unit = 'USD_MICROCENTS' | 'TOKENS' | 'CREDITS' | 'RISK_POINTS';
export const UNITS: readonly Unit[] = Object.freeze(['USD_MICROCENTS', 'TOKENS', 'CREDITS', 'RISK_POINTS']);

/** What the budget authority does when a commit exceeds the estimate (Cycles `overage_policy`). */
export type OveragePolicy = 'REJECT' | 'ALLOW_IF_AVAILABLE' | 'ALLOW_WITH_OVERDRAFT';
export const OVERAGE_POLICIES: readonly OveragePolicy[] =
  Object.freeze(['REJECT', 'ALLOW_IF_AVAILABLE', 'ALLOW_WITH_OVERDRAFT']);

/**
 * Advisory caps an authority granted with ALLOW_WITH_CAPS (the Cycles client's `Caps`). Applied by the worker, not
 * enforced by the pipeline: a streaming worker asks the provider for at most `effectiveMaxTokens()` tokens. An
 * absent cap means no cap; an empty tool allowlist is a cap (no tool allowed).
 */
export interface Caps {
  readonly maxTokens?: number;
  readonly maxStepsRemaining?: number;
  readonly toolAllowlist?: readonly string[];
  readonly toolDenylist?: readonly string[];
  readonly cooldownMs?: number;
}

/**
 * Prices of one input and one output token, in the estimate's unit. With a pricing on the reservation the topology
 * prices the usage with it, instead of its price table for the action name. The streaming guide's gpt-4o-like model
 * is `{ inputTokenPrice: 250, outputTokenPrice: 1000 }` in USD microcents.
 */
export interface Pricing {
  readonly inputTokenPrice: number;
  readonly outputTokenPrice: number;
}

/**
 * What a worker reserves before it streams, named as the Cycles TypeScript client's `reserveForStream` options are
 * (subject levels, `actionKind`, `actionName`, `estimate` and `unit`, `ttlMs`, ...), plus what the event contract
 * carries beyond them (`reservationId`, `pricing`, `caps`, `expiresAtMs`, `metadata`). Every field is checked
 * against the protocol's limits when the stream is reserved, so an invalid reservation fails in the worker, naming
 * the field, rather than in the topology's dead-letter topic.
 */
export interface StreamReservationOptions {
  /** An id an external authority returned, 1-200 characters; a random UUID when absent. */
  readonly reservationId?: string;
  /** The subject: tenant is required; each level 1-128 characters. The authority charges every scope on the path. */
  readonly tenant: string;
  readonly workspace?: string;
  readonly app?: string;
  readonly workflow?: string;
  readonly agent?: string;
  readonly toolset?: string;
  /** Free dimensions beside the levels. */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** For example `llm.completion`, at most 64 characters. */
  readonly actionKind: string;
  /** For example `gpt-4o`, at most 256 characters; it also selects the topology's price-table row. */
  readonly actionName: string;
  /** At most 10 tags. */
  readonly actionTags?: readonly string[];
  /** The worst-case cost held, a safe integer >= 0 in `unit`; its unit is the unit of the whole reservation. */
  readonly estimate: number;
  /** `USD_MICROCENTS` by default. */
  readonly unit?: Unit;
  /** How long the hold lives, 1,000-86,400,000 ms (60,000 by default); the topology extends it while streaming. */
  readonly ttlMs?: number;
  /** How long after expiry a commit or release is still accepted, 0-60,000 ms (5,000 by default). */
  readonly gracePeriodMs?: number;
  /** `ALLOW_IF_AVAILABLE` by default. */
  readonly overagePolicy?: OveragePolicy;
  /** The expiry (epoch ms) an external authority already granted; without it the hold expires ttl after the Reserve. */
  readonly expiresAtMs?: number;
  /** The caps an external authority granted. */
  readonly caps?: Caps;
  /** Token prices in the estimate's unit; without them the topology's price table for the action name applies. */
  readonly pricing?: Pricing;
  /** Free metadata passed through to the budget commands. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A checked, frozen reservation: every option given, defaults filled in, the reservation id chosen. */
export interface StreamReservation extends Required<Omit<StreamReservationOptions,
    'workspace' | 'app' | 'workflow' | 'agent' | 'toolset' | 'expiresAtMs' | 'caps' | 'pricing'>> {
  readonly workspace?: string;
  readonly app?: string;
  readonly workflow?: string;
  readonly agent?: string;
  readonly toolset?: string;
  readonly expiresAtMs?: number;
  readonly caps?: Caps;
  readonly pricing?: Pricing;
}

export const MAX_RESERVATION_ID_LENGTH = 200;
export const MAX_LEVEL_LENGTH = 128;
export const DEFAULT_TTL_MS = 60_000;
export const MIN_TTL_MS = 1_000;
export const MAX_TTL_MS = 86_400_000;
export const DEFAULT_GRACE_PERIOD_MS = 5_000;
export const MAX_GRACE_PERIOD_MS = 60_000;

/**
 * Checks every option and returns the frozen reservation, with a random UUID as id unless one was given.
 *
 * @throws TypeError or RangeError naming the first field that is missing or outside the protocol's limits
 */
export function checkReservation(options: StreamReservationOptions): StreamReservation {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('the reservation options are required');
  }
  const level = (name: keyof StreamReservationOptions) =>
    check.optionalText(`subject.${name}`, options[name], MAX_LEVEL_LENGTH);
  return Object.freeze({
    reservationId: options.reservationId === undefined ? randomUUID()
      : check.text('reservationId', options.reservationId, MAX_RESERVATION_ID_LENGTH),
    tenant: check.text('subject.tenant', options.tenant, MAX_LEVEL_LENGTH),
    workspace: level('workspace'),
    app: level('app'),
    workflow: level('workflow'),
    agent: level('agent'),
    toolset: level('toolset'),
    dimensions: check.stringMap('subject.dimensions', options.dimensions ?? {}, MAX_LEVEL_LENGTH),
    actionKind: check.text('action.kind', options.actionKind, 64),
    actionName: check.text('action.name', options.actionName, 256),
    actionTags: check.stringList('action.tags', options.actionTags ?? [], 10),
    estimate: check.nonNegative('estimate', options.estimate),
    unit: check.oneOf('unit', options.unit ?? 'USD_MICROCENTS', UNITS),
    ttlMs: check.integer('ttlMs', options.ttlMs ?? DEFAULT_TTL_MS, MIN_TTL_MS, MAX_TTL_MS),
    gracePeriodMs: check.integer('gracePeriodMs', options.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS, 0,
      MAX_GRACE_PERIOD_MS),
    overagePolicy: check.oneOf('overagePolicy', options.overagePolicy ?? 'ALLOW_IF_AVAILABLE', OVERAGE_POLICIES),
    expiresAtMs: check.optionalInteger('expiresAtMs', options.expiresAtMs, 0),
    caps: options.caps === undefined ? undefined : checkCaps(options.caps),
    pricing: options.pricing === undefined ? undefined : Object.freeze({
      inputTokenPrice: check.nonNegative('pricing.inputTokenPrice', options.pricing.inputTokenPrice),
      outputTokenPrice: check.nonNegative('pricing.outputTokenPrice', options.pricing.outputTokenPrice),
    }),
    metadata: check.stringMap('metadata', options.metadata ?? {}),
  });
}

/**
 * The output tokens a call may ask the provider for: `min(requested, caps.maxTokens)`, or `requested` without a
 * token cap (the Cycles clients' `max_tokens = min(requested, caps.max_tokens)`).
 */
export function effectiveMaxTokens(caps: Caps | undefined, requested: number): number {
  check.nonNegative('requested', requested);
  return caps?.maxTokens === undefined ? requested : Math.min(requested, caps.maxTokens);
}

function checkCaps(caps: Caps): Caps {
  return Object.freeze({
    maxTokens: check.optionalInteger('caps.maxTokens', caps.maxTokens, 0),
    maxStepsRemaining: check.optionalInteger('caps.maxStepsRemaining', caps.maxStepsRemaining, 0, 2 ** 31 - 1),
    toolAllowlist: caps.toolAllowlist === undefined ? undefined
      : check.stringList('caps.toolAllowlist', caps.toolAllowlist, Number.MAX_SAFE_INTEGER),
    toolDenylist: caps.toolDenylist === undefined ? undefined
      : check.stringList('caps.toolDenylist', caps.toolDenylist, Number.MAX_SAFE_INTEGER),
    cooldownMs: check.optionalInteger('caps.cooldownMs', caps.cooldownMs, 0),
  });
}
