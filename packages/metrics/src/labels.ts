/** The label for a source nobody configured: attacker-chosen URL segments never become series. */
export const UNKNOWN_SOURCE = 'unknown';

/** The label once a label has seen `limit` distinct values: a bound on series per metric. */
export const OTHER_VALUE = 'other';

/** Maps any value to one of the configured ones, or to `unknown`. */
export function sourceLabel(known: ReadonlySet<string>): (source: string) => string {
  return (source) => (known.has(source) ? source : UNKNOWN_SOURCE);
}

/**
 * Keeps the first `limit` distinct values of a label and maps later ones to `other`. For values
 * that come from verified senders (event types) but are still not ours to bound.
 */
export function boundedLabel(limit: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= limit) return OTHER_VALUE;
    seen.add(value);
    return value;
  };
}
