import * as check from './internal/checks';

/**
 * The provider's totals for a whole call, named as the Cycles client's metrics are. They win over the sum of the
 * chunks. `actual` is the cost when the worker priced the call itself, in the estimate's unit (a reservation has one
 * unit); without it the topology prices the tokens (the reservation's pricing, else its price table).
 */
export interface Usage {
  readonly tokensInput: number;
  readonly tokensOutput: number;
  readonly actual?: number;
  readonly modelVersion?: string;
  readonly custom?: Readonly<Record<string, string>>;
}

/**
 * A frozen, checked copy.
 *
 * @throws TypeError or RangeError naming the field: counts and actual are safe integers >= 0
 */
export function checkUsage(usage: Usage): Usage {
  if (usage === null || typeof usage !== 'object') {
    throw new TypeError('usage is required');
  }
  return Object.freeze({
    tokensInput: check.nonNegative('usage.tokensInput', usage.tokensInput),
    tokensOutput: check.nonNegative('usage.tokensOutput', usage.tokensOutput),
    actual: check.optionalInteger('usage.actual', usage.actual, 0),
    modelVersion: check.optionalText('usage.modelVersion', usage.modelVersion, Number.MAX_SAFE_INTEGER),
    custom: check.stringMap('usage.custom', usage.custom ?? {}),
  });
}
