import { Redis, type RedisOptions } from 'ioredis';

/**
 * Producers fail fast while Redis is away (the ingress acks anyway; the relay enqueues later);
 * workers wait for it forever, as BullMQ requires of blocking connections.
 */
export function createRedis(url: string, role: 'producer' | 'worker'): Redis {
  const options: RedisOptions =
    role === 'producer'
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 }
      : { maxRetriesPerRequest: null };
  return new Redis(url, { ...options, retryStrategy: (times) => Math.min(times * 200, 2_000) });
}

/** Waits up to `timeoutMs` for the connection; false means carry on without it for now. */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    function onReady() {
      clearTimeout(timer);
      resolve(true);
    }
    redis.once('ready', onReady);
  });
}
