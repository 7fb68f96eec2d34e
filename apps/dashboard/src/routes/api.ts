import {
  countReplayable,
  getEvent,
  inboxStats,
  parseEventFilter,
  searchEvents,
} from '@webhook-inbox/inbox';
import { replayEvent, replayMatching, retryNow } from '@webhook-inbox/inbox-queue';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { actingFor, type ConsoleDeps } from '../console-deps.ts';
import { type FilterQuery, filterInputFrom, filterQuerySchema } from '../filter-query.ts';
import { jobView } from '../job-state.ts';
import { type Answer, replayAnswer, retryNowAnswer } from '../outcomes.ts';
import { rowIdParams } from './events.ts';

const DEFAULT_LIMIT = 50;

function send(reply: FastifyReply, answer: Answer, extra: Record<string, unknown> = {}) {
  return reply.code(answer.status).send({ ok: answer.ok, message: answer.message, ...extra });
}

/** The same inbox as the pages, as JSON for automation. */
export function apiRoutes(deps: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });

    app.get<{ Querystring: FilterQuery }>(
      '/api/events',
      { schema: { querystring: filterQuerySchema } },
      async (request, reply) => {
        const parsed = parseEventFilter(filterInputFrom(request.query));
        if (!parsed.ok) return reply.code(400).send({ error: `${parsed.field}: ${parsed.reason}` });
        const limit = Number(request.query.limit ?? DEFAULT_LIMIT);
        const page = await searchEvents(deps.db, parsed.value, {
          limit,
          cursor: request.query.cursor,
        });
        if (page.kind === 'bad_cursor')
          return reply.code(400).send({ error: 'cursor: not a cursor this API gave out' });
        return { events: page.rows, nextCursor: page.nextCursor };
      },
    );

    app.get<{ Querystring: FilterQuery }>(
      '/api/events/count',
      { schema: { querystring: filterQuerySchema } },
      async (request, reply) => {
        const parsed = parseEventFilter(filterInputFrom(request.query));
        if (!parsed.ok) return reply.code(400).send({ error: `${parsed.field}: ${parsed.reason}` });
        return countReplayable(deps.db, parsed.value);
      },
    );

    app.get<{ Params: { id: number } }>(
      '/api/events/:id',
      { schema: { params: rowIdParams } },
      async (request, reply) => {
        const event = await getEvent(deps.db, request.params.id);
        if (!event) return reply.code(404).send({ error: 'no such event' });
        return { event, job: await jobView(deps.queue, deps.redis, event.id) };
      },
    );

    app.get('/api/stats', async () => inboxStats(deps.db));

    app.post<{ Params: { id: number } }>(
      '/api/events/:id/replay',
      { schema: { params: rowIdParams } },
      async (request, reply) =>
        send(reply, replayAnswer(await replayEvent(actingFor(deps, request), request.params.id))),
    );

    app.post<{ Params: { id: number } }>(
      '/api/events/:id/retry-now',
      { schema: { params: rowIdParams } },
      async (request, reply) =>
        send(reply, retryNowAnswer(await retryNow(actingFor(deps, request), request.params.id))),
    );

    // `confirm: true` is required, so a filter typed wrong cannot replay the whole inbox by accident.
    app.post<{ Body: FilterQuery & { confirm?: boolean } }>(
      '/api/events/replay',
      {
        schema: {
          body: {
            ...filterQuerySchema,
            properties: { ...filterQuerySchema.properties, confirm: { type: 'boolean' } },
            required: ['confirm'],
          },
        },
      },
      async (request, reply) => {
        if (request.body.confirm !== true) {
          return reply.code(400).send({
            error: 'confirm: must be true; GET /api/events/count shows what would be replayed',
          });
        }
        const parsed = parseEventFilter(filterInputFrom(request.body));
        if (!parsed.ok) return reply.code(400).send({ error: `${parsed.field}: ${parsed.reason}` });
        const result = await replayMatching(actingFor(deps, request), parsed.value);
        request.log.info({ caller: request.caller?.kind, ...result }, 'replayed matching events');
        return result;
      },
    );
  };
}
