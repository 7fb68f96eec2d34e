import type { EventStatus } from '@webhook-inbox/inbox';
import { type Output, UsageError } from './output.ts';

/** `42s`, `7m`, `3h`, `2d`: how long ago, to the unit that matters. */
export function age(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3_600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.round(seconds / 3_600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

export const ago = (date: Date, now = new Date()) =>
  `${age((now.getTime() - date.getTime()) / 1000)} ago`;

export function statusText(out: Output, status: EventStatus): string {
  switch (status) {
    case 'processed':
      return out.color.green(status);
    case 'ignored':
    case 'stale':
      return out.color.dim(status);
    case 'received':
      return out.color.cyan(status);
    case 'failed':
      return out.color.yellow(status);
    case 'dead':
      return out.color.red(status);
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}

/** A row ID as typed: a whole number, or a usage error naming it. */
export function rowId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1)
    throw new UsageError(`"${text}" is not a row ID (a whole number, as events lists them)`);
  return id;
}
