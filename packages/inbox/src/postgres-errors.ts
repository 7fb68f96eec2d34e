/**
 * Whether Postgres refused a statement because of the values it was given rather than because it
 * is failing: class 22 (data exception: bad JSON escapes, invalid UTF-8, numbers out of range…) and
 * class 54 (program limit exceeded: an index row over ~2.7 KB, JSON nested past the stack depth,
 * a jsonb string over its maximum). Retrying such a statement fails the same way for ever, so the
 * sender must hear 4xx, not 503. Everything else (connections, timeouts, cancels, resources) is
 * an outage of ours.
 */
export function isRefusedForContent(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

/**
 * Whether Postgres undid a statement because it collided with another transaction (a deadlock,
 * a serialization failure) rather than because of anything in it: the same work, run again
 * later, succeeds. drizzle wraps the driver's error, so its cause is looked at too.
 */
export function isTransactionConflict(error: unknown): boolean {
  const codes = [error, (error as { cause?: unknown } | null)?.cause].map(
    (candidate) => (candidate as { code?: unknown } | null)?.code,
  );
  return codes.some((code) => code === '40P01' || code === '40001');
}
