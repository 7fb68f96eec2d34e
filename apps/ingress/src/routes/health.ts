import type { Database } from '@webhook-inbox/db';
import { inboxAnswers } from '@webhook-inbox/inbox';
import { answersWithin } from '@webhook-inbox/time-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

export interface HealthRouteOptions {
  readonly db: Database;
  readonly redis: Redis;
  /** A check not answered within this is a failed one: the ingest deadline. */
  readonly timeoutMs: number;
}

export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions) {
  const { db, redis, timeoutMs } = options;
  app.get('/healthz', async () => ({ ok: true }));

  // Ready means events can be stored and queued. A load balancer should still send traffic when
  // only the queue is down (events are stored and relayed later): route on `postgres`, alert on both.
  // Postgres is asked for the inbox table itself, so a lock on it or a hung server counts as down.
  app.get('/readyz', async (_request, reply) => {
    const [postgresUp, redisUp] = await Promise.all([
      answersWithin(() => inboxAnswers(db), timeoutMs),
      answersWithin(() => redis.ping(), timeoutMs),
    ]);
    const ok = postgresUp && redisUp;
    return reply.code(ok ? 200 : 503).send({ ok, postgres: postgresUp, redis: redisUp });
  });
}
