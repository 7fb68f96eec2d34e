/** The label for a source nobody configured: attacker-chosen URL segments never become series. */
export const UNKNOWN_SOURCE = 'unknown';

/** The label once a label has seen `limit` distinct values: a bound on series per metric. */
export const OTHER_VALUE = 'other';

/** Maps any value to one of the configured ones, or to `unknown`. */
export function sourceLabel(known: ReadonlySet<string>): (source: string) => string {
  return (source) => (known.has(source) ? source : UNKNOWN_SOURCE);
}

/**
 * Keeps the first `limit` distinct values of a label within each group (a source) and maps later
 * ones to `other`. For values that come from verified senders (event types) but are still not ours
 * to bound; per group, so one sender inventing types cannot fold every other source's into `other`.
 */
export function boundedLabelPer(limit: number): (group: string, value: string) => string {
  const seen = new Map<string, Set<string>>();
  return (group, value) => {
    let values = seen.get(group);
    if (!values) {
      values = new Set();
      seen.set(group, values);
    }
    if (values.has(value)) return value;
    if (values.size >= limit) return OTHER_VALUE;
    values.add(value);
    return value;
  };
}
