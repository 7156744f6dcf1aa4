/** The reasons of End events: at most 256 characters, as the protocol's release reason. */
export const MAX_REASON_LENGTH = 256;
export const CLOSED_WITHOUT_COMPLETION = 'closed without completion';
export const METER_CLOSED = 'meter closed';

/**
 * The reason a failure gives: its type and message, for example `TypeError: fetch failed`, as the Java library
 * writes `IOException: connection reset`. Anything thrown counts, not only Errors.
 */
export function reasonOf(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) {
    return undefined;
  }
  if (cause instanceof Error) {
    const type = cause.constructor?.name || cause.name || 'Error';
    return truncate(cause.message.trim() === '' ? type : `${type}: ${cause.message}`);
  }
  return truncate(String(cause));
}

/** At most {@link MAX_REASON_LENGTH} UTF-16 units, never splitting a surrogate pair. */
export function truncate(reason: string | undefined): string | undefined {
  if (reason === undefined || reason.length <= MAX_REASON_LENGTH) {
    return reason;
  }
  const last = reason.charCodeAt(MAX_REASON_LENGTH - 1);
  const isHighSurrogate = last >= 0xd800 && last <= 0xdbff;
  return reason.slice(0, isHighSurrogate ? MAX_REASON_LENGTH - 1 : MAX_REASON_LENGTH);
}
