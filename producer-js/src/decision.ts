import type { Caps } from './reservation';

/**
 * Who decides a reservation, and whether `reserveForStream` waits for the decision (the Java library's
 * `DecisionMode`):
 *
 * - `EXTERNAL` (the default): an authority outside the pipeline (a Cycles server, or none for metering only) decided
 *   before the stream was reserved; the topology runs with `metering.authority=EXTERNAL`. The handle's `decision` is
 *   settled at once, as the reservation describes it: ALLOW, or ALLOW_WITH_CAPS with the reservation's caps.
 * - `WAIT`: the budget ledger inside the topology (`metering.authority=LEDGER`) decides, and `reserveForStream`
 *   resolves only once it allowed the reservation. A refusal rejects with a `BudgetRefusedError`, no decision within
 *   the decision timeout with a `DecisionTimeoutError`; either way the meter first cancels the stream, so nothing
 *   stays held. Call the model only after it resolved, as Cycles clients do.
 * - `OPTIMISTIC`: the ledger decides while the stream already runs. `reserveForStream` resolves on the Reserve's
 *   acknowledgement and `decision` settles later; after a refusal every `chunk()` counts its tokens and then throws
 *   the `BudgetRefusedError` (the tokens were generated: they are spend, and the topology charges them). `usage()`
 *   and the terminal calls keep working.
 */
export type DecisionMode = 'EXTERNAL' | 'WAIT' | 'OPTIMISTIC';
export const DECISION_MODES: readonly DecisionMode[] = Object.freeze(['EXTERNAL', 'WAIT', 'OPTIMISTIC']);

/** The three answers of the protocol. */
export type DecisionKind = 'ALLOW' | 'ALLOW_WITH_CAPS' | 'DENY';

/**
 * A budget authority's answer to one reservation, as the Cycles protocol gives it (the Java library's `Decision`):
 * allowed, allowed with advisory caps, or refused with a reason code (`BUDGET_EXCEEDED`, `BUDGET_FROZEN`,
 * `BUDGET_CLOSED`, `BUDGET_NOT_FOUND`, `UNIT_MISMATCH`, `OVERDRAFT_LIMIT_EXCEEDED`, `DEBT_OUTSTANDING`, ...: an open
 * set, and any code is a refusal) and, when one budget refused, its scope. Frozen.
 *
 * A decision kind newer than this library reads as DENY with reason `UNKNOWN_DECISION` (the schema's UNKNOWN): a
 * refusal rather than a guess.
 */
export interface Decision {
  readonly decision: DecisionKind;
  /** Whether the stream may go on: ALLOW or ALLOW_WITH_CAPS. */
  readonly allowed: boolean;
  /** Why it was refused; absent when allowed. */
  readonly reasonCode?: string;
  /** The scope whose budget refused it, when one did (a subject with no budget at all has none). */
  readonly deniedScope?: string;
  /** The caps to apply, with ALLOW_WITH_CAPS (`effectiveMaxTokens()` applies the token cap). */
  readonly caps?: Caps;
  /** The budgeted scopes that hold the estimate, tenant first; empty when refused, unbudgeted or decided outside. */
  readonly affectedScopes: readonly string[];
  /** When the hold expires unless extended (epoch ms), when the authority said. */
  readonly expiresAtMs?: number;
}

/** Default bound on the ledger's decision on one reservation: rides out a rebalance of the topology, as in Java. */
export const DEFAULT_DECISION_TIMEOUT_MS = 10_000;
