/**
 * The argument checks of the public API, so that every refusal names the field and the protocol's limit in the same
 * words as the Java library. Each throws a TypeError (wrong type, missing) or a RangeError (outside a limit).
 */

/** A non-blank string of at most `maxLength` characters. */
export function text(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new TypeError(`${field} is required (1-${maxLength} characters)`);
  }
  if (value.length > maxLength) {
    throw new RangeError(`${field} must be at most ${maxLength} characters, was ${value.length}`);
  }
  return value;
}

/** Like {@link text}, or undefined when absent. */
export function optionalText(field: string, value: unknown, maxLength: number): string | undefined {
  return value === undefined || value === null ? undefined : text(field, value, maxLength);
}

/**
 * An integer within `[min, max]`. Amounts and token counts are int64 on the wire but plain numbers here, so they
 * must be safe integers: beyond 2^53 - 1 a number no longer holds the exact count.
 */
export function integer(field: string, value: unknown, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`${field} must be a safe integer, was ${String(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`${field} must be within ${min}-${max}, was ${value}`);
  }
  return value;
}

/** A safe integer >= 0. */
export function nonNegative(field: string, value: unknown): number {
  return integer(field, value, 0);
}

/** Like {@link integer}, or undefined when absent. */
export function optionalInteger(field: string, value: unknown, min: number, max?: number): number | undefined {
  return value === undefined || value === null ? undefined : integer(field, value, min, max);
}

/** One of the allowed values. */
export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`${field} must be one of ${allowed.join(', ')}, was ${String(value)}`);
  }
  return value as T;
}

/** A frozen copy of a list of at most `max` strings, none empty. */
export function stringList(field: string, value: unknown, max: number): readonly string[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`${field} must be an array of strings`);
  }
  if (value.length > max) {
    throw new RangeError(`${field} must hold at most ${max} entries, held ${value.length}`);
  }
  return Object.freeze(value.map((entry, index) => text(`${field}[${index}]`, entry, Number.MAX_SAFE_INTEGER)));
}

/** A frozen copy of a string-to-string record; keys 1-`maxKeyLength` characters. */
export function stringMap(field: string, value: unknown, maxKeyLength = Number.MAX_SAFE_INTEGER):
    Readonly<Record<string, string>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${field} must be an object of string values`);
  }
  const copy: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    text(`${field} key`, key, maxKeyLength);
    if (typeof entry !== 'string') {
      throw new TypeError(`${field}.${key} must be a string, was ${typeof entry}`);
    }
    copy[key] = entry;
  }
  return Object.freeze(copy);
}

/** A function, or the fallback when absent. */
export function fn<T extends (...args: never[]) => unknown>(field: string, value: unknown, fallback: T): T {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'function') {
    throw new TypeError(`${field} must be a function`);
  }
  return value as T;
}
