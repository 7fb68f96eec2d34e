import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';

const MESSAGE =
  'Redis is not reachable, so no job can be added or moved: nothing was changed. Try again when Redis is back (the overview and the event pages keep working).';

/** How a part of the console says that Redis is away. */
export type RedisAwayAnswer = (reply: FastifyReply, message: string) => FastifyReply;

/**
 * preHandler of the plugins whose routes add or move jobs: refuses them at once while Redis is
 * away, before any row is touched; the queue's connection fails fast rather than waiting, and a
 * half-done replay would only confuse.
 */
export function refuseWithoutRedis(redis: Redis, answer: RedisAwayAnswer) {
  return async (_request: FastifyRequest, reply: FastifyReply) => {
    if (redis.status !== 'ready') return answer(reply, MESSAGE);
  };
}
