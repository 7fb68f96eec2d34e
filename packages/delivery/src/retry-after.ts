/**
 * A `Retry-After` header as a delay in ms: delta-seconds or an HTTP date, at most `maxMs`.
 * Undefined when absent or unreadable; a date in the past is no delay.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
  maxMs: number,
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const delay = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - nowMs;
  if (Number.isNaN(delay)) return undefined;
  return Math.min(Math.max(0, delay), maxMs);
}
