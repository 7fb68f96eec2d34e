import {
  blockedKeys,
  countReplayable,
  eventDeliveryDetails,
  getEvent,
  inboxStats,
  searchEvents,
} from '@webhook-inbox/inbox';
import {
  enableAndResume,
  redeliver,
  replayEvent,
  replayMatching,
  retryNow,
  skipAndWake,
} from '@webhook-inbox/inbox-queue';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { acceptApiToken, checkCsrf, requireCaller } from '../access-hooks.ts';
import { actingFor, type ConsoleDeps } from '../console-deps.ts';
import { deliveryParams, destinationParams, rowIdParams } from '../constants.ts';
import {
  type FilterQuery,
  type FilterRefusal,
  filterOf,
  filterQuerySchema,
  readFilter,
} from '../filter-query.ts';
import { jobView } from '../job-state.ts';
import { notFound } from '../not-found.ts';
import {
  type Answer,
  enableAnswer,
  redeliverAnswer,
  replayAnswer,
  retryNowAnswer,
  skipAnswer,
} from '../outcomes.ts';
import { refuseWithoutRedis } from '../redis-guard.ts';

const DEFAULT_LIMIT = 50;

function send(reply: FastifyReply, answer: Answer, extra: Record<string, unknown> = {}) {
  return reply.code(answer.status).send({ ok: answer.ok, message: answer.message, ...extra });
}

const badFilter: FilterRefusal = (_request, reply, error) => reply.code(400).send({ error });

// `confirm: true` is required, so a filter typed wrong cannot replay the whole inbox by accident.
async function requireConfirm(
  request: FastifyRequest<{ Body: { confirm?: boolean } }>,
  reply: FastifyReply,
) {
  if (request.body.confirm === true) return;
  return reply.code(400).send({
    error: 'confirm: must be true; GET /api/events/count shows what would be replayed',
  });
}

/**
 * The same inbox as the pages, as JSON for automation, under /api: the operator's session (with
 * its CSRF token) or the API token; job actions only while Redis answers.
 */
export function apiRoutes(deps: ConsoleDeps, apiToken: string | undefined) {
  return async (app: FastifyInstance) => {
    app.addHook('onRequest', acceptApiToken(apiToken));
    app.addHook('onRequest', requireCaller);
    app.addHook('preHandler', checkCsrf);
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });
    app.setNotFoundHandler(notFound);

    app.get<{ Querystring: FilterQuery }>(
      '/events',
      { schema: { querystring: filterQuerySchema }, preHandler: readFilter(badFilter) },
      async (request, reply) => {
        const limit = Number(request.query.limit ?? DEFAULT_LIMIT);
        const page = await searchEvents(deps.db, filterOf(request), {
          limit,
          cursor: request.query.cursor,
        });
        if (page.kind === 'bad_cursor')
          return reply.code(400).send({ error: 'cursor: not a cursor this API gave out' });
        return { events: page.rows, nextCursor: page.nextCursor };
      },
    );

    app.get<{ Querystring: FilterQuery }>(
      '/events/count',
      { schema: { querystring: filterQuerySchema }, preHandler: readFilter(badFilter) },
      async (request) => countReplayable(deps.db, filterOf(request)),
    );

    app.get<{ Params: { id: number } }>(
      '/events/:id',
      { schema: { params: rowIdParams } },
      async (request, reply) => {
        const event = await getEvent(deps.db, request.params.id);
        if (!event) return reply.code(404).send({ error: 'no such event' });
        const [job, deliveries] = await Promise.all([
          jobView(deps.queue, deps.redis, event.id),
          eventDeliveryDetails(deps.db, event.id),
        ]);
        return { event, job, deliveries };
      },
    );

    app.get('/stats', async () => inboxStats(deps.db));

    app.get('/blocked-keys', async () => ({ keys: await blockedKeys(deps.db.pool) }));

    await app.register(async (actions) => {
      actions.addHook(
        'preHandler',
        refuseWithoutRedis(deps.redis, (reply, message) =>
          reply.code(503).send({ ok: false, message }),
        ),
      );

      actions.post<{ Params: { id: number } }>(
        '/events/:id/replay',
        { schema: { params: rowIdParams } },
        async (request, reply) =>
          send(reply, replayAnswer(await replayEvent(actingFor(deps, request), request.params.id))),
      );

      actions.post<{ Params: { id: number } }>(
        '/events/:id/retry-now',
        { schema: { params: rowIdParams } },
        async (request, reply) =>
          send(reply, retryNowAnswer(await retryNow(actingFor(deps, request), request.params.id))),
      );

      actions.post<{ Params: { id: number } }>(
        '/events/:id/skip',
        { schema: { params: rowIdParams } },
        async (request, reply) =>
          send(reply, skipAnswer(await skipAndWake(actingFor(deps, request), request.params.id))),
      );

      actions.post<{ Params: { source: string; destination: string } }>(
        '/destinations/:source/:destination/enable',
        { schema: { params: destinationParams } },
        async (request, reply) => {
          const { source, destination } = request.params;
          const outcome = await enableAndResume(deps, source, destination);
          request.log.info(
            { caller: request.caller?.kind, source, destination },
            'enable destination',
          );
          return send(reply, enableAnswer(destination, outcome), { resumed: outcome.resumed });
        },
      );

      actions.post<{ Params: { id: number; destination: string } }>(
        '/events/:id/deliveries/:destination/redeliver',
        { schema: { params: deliveryParams } },
        async (request, reply) => {
          const { id, destination } = request.params;
          const outcome = await redeliver(deps, { rowId: id, destination });
          return send(reply, redeliverAnswer(destination, outcome));
        },
      );

      actions.post<{ Body: FilterQuery & { confirm?: boolean } }>(
        '/events/replay',
        {
          schema: {
            body: {
              ...filterQuerySchema,
              properties: { ...filterQuerySchema.properties, confirm: { type: 'boolean' } },
              required: ['confirm'],
            },
          },
          preHandler: [requireConfirm, readFilter(badFilter)],
        },
        async (request) => {
          const result = await replayMatching(actingFor(deps, request), filterOf(request));
          request.log.info({ caller: request.caller?.kind, ...result }, 'replayed matching events');
          return result;
        },
      );
    });
  };
}
