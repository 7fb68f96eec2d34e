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
  let delay: number;
  if (/^\d+$/.test(text)) delay = Number(text) * 1000;
  // Every HTTP-date form starts with the day's name; without that check Date.parse would
  // read "-5" or "1.5" as dates.
  else if (/^[A-Za-z]{3}/.test(text)) delay = Date.parse(text) - nowMs;
  else return undefined;
  if (Number.isNaN(delay)) return undefined;
  return Math.min(Math.max(0, delay), maxMs);
}
