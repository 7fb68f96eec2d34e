/**
 * A read that scrapes share: at most one call to `read` per `ttlMs`, however many scrapers
 * (Prometheus HA pairs, a curl) ask, and concurrent scrapes wait on the same call.
 */
export function cached<T>(read: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let value: { at: number; promise: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (value && now - value.at < ttlMs) return value.promise;
    const promise = read();
    value = { at: now, promise };
    // A failed read is not kept: the next scrape tries again.
    promise.catch(() => {
      if (value?.promise === promise) value = undefined;
    });
    return promise;
  };
}
