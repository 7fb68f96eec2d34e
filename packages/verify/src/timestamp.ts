import { reject, type Verification } from './types.ts';

export interface TimestampRule {
  toleranceSeconds: number;
}

/** Unix seconds (number or digits) or an ISO 8601 date; anything else is undefined. */
export function parseTimestamp(value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Replay defence: a captured request is only good for `toleranceSeconds` either side of now
 * (either side, because a sender's clock may run ahead). Returns the rejection, or undefined.
 */
export function checkTimestamp(
  value: string | undefined,
  now: Date,
  rule: TimestampRule,
): Verification | undefined {
  const sentAt = parseTimestamp(value);
  if (sentAt === undefined) return reject('malformed_signature', 'timestamp missing or unreadable');
  const skewSeconds = Math.abs(now.getTime() - sentAt.getTime()) / 1000;
  return skewSeconds > rule.toleranceSeconds ? reject('stale_timestamp') : undefined;
}
