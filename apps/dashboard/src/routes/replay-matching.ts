import { countReplayable } from '@webhook-inbox/inbox';
import { replayMatching } from '@webhook-inbox/inbox-queue';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { actingFor, type ConsoleDeps } from '../console-deps.ts';
import {
  type FilterQuery,
  type FilterRefusal,
  filterOf,
  filterQuerySchema,
  filterSearchParams,
  readFilter,
} from '../filter-query.ts';

const TITLE = { title: 'Replay matching events', section: 'events' } as const;

function message(reply: FastifyReply, data: Record<string, unknown>, status = 200) {
  return reply.page('message', { ...TITLE, ...data }, status);
}

const cannotReplay: FilterRefusal = (_request, reply, error) =>
  message(reply, { heading: 'Cannot replay', message: error }, 400);

/** Replay every event a filter matches: first this page with the count, then the confirmed run. */
export function replayMatchingPage(deps: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: FilterQuery }>(
      '/events/replay',
      { schema: { querystring: filterQuerySchema }, preHandler: readFilter(cannotReplay) },
      async (request, reply) => {
        const params = filterSearchParams(request.query);
        const counts = await countReplayable(deps.db, filterOf(request));
        return reply.page('replay-confirm', {
          ...TITLE,
          counts,
          fields: [...params],
          listHref: `/events?${params}`,
        });
      },
    );
  };
}

/** The confirmed run of `replayMatchingPage`. */
export function replayMatchingAction(deps: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    const bodySchema = {
      body: {
        ...filterQuerySchema,
        properties: { ...filterQuerySchema.properties, _csrf: { type: 'string' } },
      },
    };
    app.post<{ Body: FilterQuery }>(
      '/events/replay',
      { schema: bodySchema, preHandler: readFilter(cannotReplay) },
      async (request, reply) => {
        const params = filterSearchParams(request.body);
        const result = await replayMatching(actingFor(deps, request), filterOf(request));
        request.log.info(
          { user: request.session.get('user'), filter: params.toString(), ...result },
          'replayed matching events',
        );
        return message(reply, {
          heading: `Replayed ${result.replayed} event${result.replayed === 1 ? '' : 's'}`,
          message: `In ${result.batches} batch${result.batches === 1 ? '' : 'es'}. Each has a fresh job; processed, failed and pruned events were left alone.`,
          links: [{ href: `/events?${params}`, text: 'Back to the matching events' }],
        });
      },
    );
  };
}
