import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { pathOf } from './security.ts';
import { renderPage } from './view.ts';

const MESSAGE =
  'Redis is not reachable, so no job can be added or moved: nothing was changed. Try again when Redis is back (the overview and the event pages keep working).';

/** Actions that add or move jobs: every POST under /events/ and /api/events/. */
function movesJobs(request: FastifyRequest): boolean {
  const path = pathOf(request);
  return (
    request.method === 'POST' && (path.startsWith('/events/') || path.startsWith('/api/events/'))
  );
}

/**
 * Refuses job actions at once while Redis is away, before any row is touched: the queue's
 * connection fails fast rather than waiting, and a half-done replay would only confuse.
 */
export function guardJobActions(app: FastifyInstance, redis: Redis) {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!movesJobs(request) || redis.status === 'ready') return;
    if (pathOf(request).startsWith('/api/'))
      return reply.code(503).send({ ok: false, message: MESSAGE });
    return renderPage(
      reply,
      'message',
      {
        title: 'Redis not reachable',
        section: 'events',
        user: request.session.get('user'),
        csrfToken: reply.generateCsrf(),
        heading: 'Redis is not reachable',
        message: MESSAGE,
      },
      503,
    );
  });
}
