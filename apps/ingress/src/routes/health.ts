import type { DbClient } from '@webhook-inbox/db';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

export interface HealthRouteOptions {
  readonly db: DbClient;
  readonly redis: Redis;
}

const CHECK_TIMEOUT_MS = 2_000;

async function reachable(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoutes(app: FastifyInstance, { db, redis }: HealthRouteOptions) {
  app.get('/healthz', async () => ({ ok: true }));

  // Ready means events can be stored and queued. A load balancer should still send traffic when
  // only the queue is down (events are stored and relayed later): route on `postgres`, alert on both.
  app.get('/readyz', async (_request, reply) => {
    const [postgresUp, redisUp] = await Promise.all([
      reachable(() => db.pool.query('select 1')),
      reachable(() => redis.ping()),
    ]);
    const ok = postgresUp && redisUp;
    return reply.code(ok ? 200 : 503).send({ ok, postgres: postgresUp, redis: redisUp });
  });
}
