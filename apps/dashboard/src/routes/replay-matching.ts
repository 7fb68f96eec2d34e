import { countReplayable, parseEventFilter } from '@webhook-inbox/inbox';
import { replayMatching } from '@webhook-inbox/inbox-queue';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actingFor, type ConsoleDeps } from '../console-deps.ts';
import {
  type FilterQuery,
  filterInputFrom,
  filterQuerySchema,
  filterSearchParams,
} from '../filter-query.ts';

import { renderPage } from '../view.ts';

/** Replay every event a filter matches: first a page with the count, then the confirmed run. */
export function replayMatchingRoutes(deps: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    const context = (
      request: { session: { get(key: 'user'): string | undefined } },
      csrfToken: string,
    ) => ({
      title: 'Replay matching events',
      section: 'events' as const,
      user: request.session.get('user'),
      csrfToken,
    });

    const cannotReplay = (
      request: FastifyRequest,
      reply: FastifyReply,
      problem: { field: string; reason: string },
    ) =>
      renderPage(
        reply,
        'message',
        {
          ...context(request, reply.generateCsrf()),
          heading: 'Cannot replay',
          message: `${problem.field}: ${problem.reason}`,
        },
        400,
      );

    app.get<{ Querystring: FilterQuery }>(
      '/events/replay',
      { schema: { querystring: filterQuerySchema } },
      async (request, reply) => {
        const params = filterSearchParams(request.query);
        const parsed = parseEventFilter(filterInputFrom(request.query));
        if (!parsed.ok) return cannotReplay(request, reply, parsed);
        const counts = await countReplayable(deps.db, parsed.value);
        return renderPage(reply, 'replay-confirm', {
          ...context(request, reply.generateCsrf()),
          counts,
          fields: [...params],
          listHref: `/events?${params}`,
        });
      },
    );

    const bodySchema = {
      body: {
        ...filterQuerySchema,
        properties: { ...filterQuerySchema.properties, _csrf: { type: 'string' } },
      },
    };
    app.post<{ Body: FilterQuery }>(
      '/events/replay',
      { schema: bodySchema },
      async (request, reply) => {
        const params = filterSearchParams(request.body);
        const parsed = parseEventFilter(filterInputFrom(request.body));
        if (!parsed.ok) return cannotReplay(request, reply, parsed);
        const result = await replayMatching(actingFor(deps, request), parsed.value);
        request.log.info(
          { user: request.session.get('user'), filter: params.toString(), ...result },
          'replayed matching events',
        );
        return renderPage(reply, 'message', {
          ...context(request, reply.generateCsrf()),
          heading: `Replayed ${result.replayed} event${result.replayed === 1 ? '' : 's'}`,
          message: `In ${result.batches} batch${result.batches === 1 ? '' : 'es'}. Each has a fresh job; processed, failed and pruned events were left alone.`,
          links: [{ href: `/events?${params}`, text: 'Back to the matching events' }],
        });
      },
    );
  };
}
