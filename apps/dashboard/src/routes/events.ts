import {
  countEvents,
  eventHistory,
  getEvent,
  HISTORY_LABELS,
  parseEventFilter,
  searchEvents,
  whyRowNotReplayable,
} from '@webhook-inbox/inbox';
import { replayEvent, retryNow } from '@webhook-inbox/inbox-queue';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actingFor, type ConsoleDeps } from '../console-deps.ts';
import {
  type FilterQuery,
  filterInputFrom,
  filterQuerySchema,
  filterSearchParams,
  pickedStatuses,
} from '../filter-query.ts';
import { redirectWithFlash, takeFlash } from '../flash.ts';
import { jobView } from '../job-state.ts';
import { type Answer, replayAnswer, retryNowAnswer } from '../outcomes.ts';
import { renderPage } from '../view.ts';
import { STATUS_ORDER } from './overview.ts';

const PAGE_SIZE = 50;
export const rowIdParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
  required: ['id'],
} as const;

function pageContext(request: FastifyRequest, reply: FastifyReply, title: string) {
  return {
    title,
    section: 'events' as const,
    user: request.session.get('user'),
    csrfToken: reply.generateCsrf(),
  };
}

export function eventRoutes(deps: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: FilterQuery }>(
      '/events',
      { schema: { querystring: filterQuerySchema } },
      async (request, reply) => {
        const query = request.query;
        const base = {
          ...pageContext(request, reply, 'Events'),
          query,
          statuses: STATUS_ORDER,
          picked: pickedStatuses(query),
        };
        const filterParams = filterSearchParams(query).toString();
        const parsed = parseEventFilter(filterInputFrom(query));
        if (!parsed.ok) {
          return renderPage(
            reply,
            'events',
            { ...base, error: `${parsed.field}: ${parsed.reason}`, rows: [], filterParams },
            400,
          );
        }
        const [page, total] = await Promise.all([
          searchEvents(deps.db, parsed.value, { limit: PAGE_SIZE, cursor: query.cursor }),
          countEvents(deps.db, parsed.value),
        ]);
        if (page.kind === 'bad_cursor') {
          return renderPage(
            reply,
            'events',
            {
              ...base,
              error: 'That page link is no longer valid; start from the first page.',
              rows: [],
              filterParams,
            },
            400,
          );
        }
        const next = new URLSearchParams(filterParams);
        if (page.nextCursor) next.set('cursor', page.nextCursor);
        return renderPage(reply, 'events', {
          ...base,
          rows: page.rows,
          total,
          filterParams,
          nextHref: page.nextCursor ? `/events?${next}` : undefined,
          firstHref: query.cursor ? `/events?${filterParams}` : undefined,
        });
      },
    );

    async function showEvent(
      request: FastifyRequest,
      reply: FastifyReply,
      rowId: number,
      answer?: Answer,
    ) {
      const [event, history] = await Promise.all([
        getEvent(deps.db, rowId),
        eventHistory(deps.db, rowId),
      ]);
      if (!event) {
        return renderPage(
          reply,
          'message',
          {
            ...pageContext(request, reply, 'Not found'),
            heading: 'No such event',
            message: `There is no event with row ID ${rowId}.`,
          },
          404,
        );
      }
      const notReplayable = whyRowNotReplayable(event);
      return renderPage(
        reply,
        'event',
        {
          ...pageContext(request, reply, `${event.source} ${event.eventId}`),
          event,
          history,
          historyLabels: HISTORY_LABELS,
          job: await jobView(deps.queue, deps.redis, rowId),
          canReplay: notReplayable === undefined,
          notReplayable,
          canRetryNow: event.status === 'failed',
          answer,
        },
        answer?.status ?? 200,
      );
    }

    app.get<{ Params: { id: number } }>(
      '/events/:id',
      { schema: { params: rowIdParams } },
      async (request, reply) => {
        const done = takeFlash(request);
        return showEvent(
          request,
          reply,
          request.params.id,
          done ? { status: 200, ok: true, message: done } : undefined,
        );
      },
    );

    app.post<{ Params: { id: number } }>(
      '/events/:id/replay',
      { schema: { params: rowIdParams } },
      async (request, reply) => {
        const answer = replayAnswer(await replayEvent(actingFor(deps, request), request.params.id));
        if (answer.ok) {
          return redirectWithFlash(request, reply, `/events/${request.params.id}`, answer.message);
        }
        return showEvent(request, reply, request.params.id, answer);
      },
    );

    app.post<{ Params: { id: number } }>(
      '/events/:id/retry-now',
      { schema: { params: rowIdParams } },
      async (request, reply) => {
        const answer = retryNowAnswer(await retryNow(actingFor(deps, request), request.params.id));
        if (answer.ok) {
          return redirectWithFlash(request, reply, `/events/${request.params.id}`, answer.message);
        }
        return showEvent(request, reply, request.params.id, answer);
      },
    );
  };
}
