import { reject, type Verification } from './types.ts';

/** auto: digits are unix seconds, anything else an ISO 8601 date (the generic provider's rule). */
export type TimestampFormat = 'auto' | 'unix-seconds' | 'unix-ms' | 'iso8601';

export interface TimestampRule {
  toleranceSeconds: number;
  format?: TimestampFormat;
}

const DIGITS = /^\d{1,16}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

function dateFrom(value: string, format: TimestampFormat): Date | undefined {
  switch (format) {
    case 'unix-seconds':
      return DIGITS.test(value) ? new Date(Number(value) * 1000) : undefined;
    case 'unix-ms':
      return DIGITS.test(value) ? new Date(Number(value)) : undefined;
    case 'iso8601':
      return ISO_DATE.test(value) ? new Date(value) : undefined;
    case 'auto':
      return DIGITS.test(value) ? new Date(Number(value) * 1000) : new Date(value);
    default: {
      const unreachable: never = format;
      throw new Error(`unknown timestamp format ${String(unreachable)}`);
    }
  }
}

/** The send time, or undefined when it is missing or unreadable in the given format. */
export function parseTimestamp(
  value: string | undefined,
  format: TimestampFormat = 'auto',
): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = dateFrom(value, format);
  return date === undefined || Number.isNaN(date.getTime()) ? undefined : date;
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
  const sentAt = parseTimestamp(value, rule.format);
  if (sentAt === undefined) return reject('malformed_signature', 'timestamp missing or unreadable');
  const skewSeconds = Math.abs(now.getTime() - sentAt.getTime()) / 1000;
  return skewSeconds > rule.toleranceSeconds ? reject('stale_timestamp') : undefined;
}
