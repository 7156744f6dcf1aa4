import type { Decision, DecisionKind } from '../decision';
import type { Caps, StreamReservation } from '../reservation';

/** The reason a refusal gets when the ledger wrote a kind this library does not know, or no reason at all. */
export const UNKNOWN_DECISION = 'UNKNOWN_DECISION';

/**
 * The decision an authority outside the pipeline took on a reservation (EXTERNAL mode): the stream was reserved, so
 * it was allowed, with the caps and expiry the reservation carries.
 */
export function externalDecision(reservation: StreamReservation): Decision {
  return freeze(reservation.caps === undefined ? 'ALLOW' : 'ALLOW_WITH_CAPS', undefined, undefined, reservation.caps,
    [], reservation.expiresAtMs);
}

/**
 * A `dev.budgetmeter.schemas.Decision` record, as Confluent's Avro deserializer gives it (schema field names; unions
 * with null unwrapped), as the public type. It is read with the writer's schema, so a newer schema's fields and enum
 * symbols arrive as they were written: a kind other than ALLOW, ALLOW_WITH_CAPS and DENY (the schema's UNKNOWN, or a
 * symbol added later) is a refusal, as the schema says, rather than a guess.
 */
export function decisionOf(record: Readonly<Record<string, unknown>>): Decision {
  const written = record.decision;
  const kind: DecisionKind = written === 'ALLOW' || written === 'ALLOW_WITH_CAPS' ? written : 'DENY';
  const reason = optionalString(record.reason_code);
  const caps = record.caps === null || record.caps === undefined ? undefined
    : capsOf(record.caps as Readonly<Record<string, unknown>>);
  return freeze(kind, reason ?? (kind === 'DENY' ? UNKNOWN_DECISION : undefined), optionalString(record.denied_scope),
    caps, Array.isArray(record.affected_scopes) ? record.affected_scopes.map(String) : [],
    optionalNumber(record.expires_at_ms));
}

function capsOf(caps: Readonly<Record<string, unknown>>): Caps {
  const copy: { -readonly [K in keyof Caps]: Caps[K] } = {};
  const maxTokens = optionalNumber(caps.max_tokens);
  const maxStepsRemaining = optionalNumber(caps.max_steps_remaining);
  const cooldownMs = optionalNumber(caps.cooldown_ms);
  if (maxTokens !== undefined) {
    copy.maxTokens = maxTokens;
  }
  if (maxStepsRemaining !== undefined) {
    copy.maxStepsRemaining = maxStepsRemaining;
  }
  if (Array.isArray(caps.tool_allowlist)) {
    copy.toolAllowlist = Object.freeze(caps.tool_allowlist.map(String));
  }
  if (Array.isArray(caps.tool_denylist)) {
    copy.toolDenylist = Object.freeze(caps.tool_denylist.map(String));
  }
  if (cooldownMs !== undefined) {
    copy.cooldownMs = cooldownMs;
  }
  return Object.freeze(copy);
}

/** Absent fields stay absent (not `undefined`-valued), so decisions compare with `deepEqual` as written. */
function freeze(decision: DecisionKind, reasonCode: string | undefined, deniedScope: string | undefined,
                caps: Caps | undefined, affectedScopes: readonly string[], expiresAtMs: number | undefined): Decision {
  const result: { -readonly [K in keyof Decision]: Decision[K] } = {
    decision, allowed: decision !== 'DENY', affectedScopes: Object.freeze([...affectedScopes]) };
  if (reasonCode !== undefined) {
    result.reasonCode = reasonCode;
  }
  if (deniedScope !== undefined) {
    result.deniedScope = deniedScope;
  }
  if (caps !== undefined) {
    result.caps = caps;
  }
  if (expiresAtMs !== undefined) {
    result.expiresAtMs = expiresAtMs;
  }
  return Object.freeze(result);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Avro longs: avsc gives numbers (exact up to 2^53, which every amount and time here stays within). */
function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  return typeof value === 'bigint' ? Number(value) : undefined;
}
