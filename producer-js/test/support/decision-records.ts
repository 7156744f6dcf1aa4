import type { Decision } from '../../src/decision';
import { decisionOf } from '../../src/internal/decision-record';

/** A Decision record as Confluent's deserializer gives it: schema field names, unions with null unwrapped. */
export function record(fields: Record<string, unknown>): Record<string, unknown> {
  return { reservation_id: 'r-1', reserve_event_id: 'e-1', decision: 'ALLOW', reason_code: null, denied_scope: null,
    caps: null, affected_scopes: [], balances: [], expires_at_ms: null, reply_partition: 2,
    decided_at: 1_700_000_000_000, ...fields };
}

export const ALLOWED: Decision = decisionOf(record({ affected_scopes: ['tenant:acme'] }));
export const EXCEEDED: Decision = decisionOf(record({ decision: 'DENY', reason_code: 'BUDGET_EXCEEDED',
  denied_scope: 'tenant:acme/workspace:prod' }));
