import {
  countEvents,
  DEFAULT_SUBSCRIBER,
  eventDeliveryDetails,
  eventHistory,
  eventSubscriberDetails,
  getEvent,
  HISTORY_LABELS,
  keyBlockedBy,
  SUBSCRIBER_NAME,
  searchEvents,
  whyRowNotReplayable,
} from '@webhook-inbox/inbox';
import { replayEvent, retryNow, skipAndWake } from '@webhook-inbox/inbox-queue';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { actingFor, type ConsoleDeps } from '../console-deps.ts';
import { rowIdParams, STATUS_ORDER } from '../constants.ts';
import {
  type FilterQuery,
  type FilterRefusal,
  filterOf,
  filterQuerySchema,
  filterSearchParams,
  pickedStatuses,
  readFilter,
} from '../filter-query.ts';
import { redirectWithFlash, takeFlash } from '../flash.ts';
import { jobView } from '../job-state.ts';
import { type Answer, replayAnswer, retryNowAnswer, skipAnswer } from '../outcomes.ts';

const PAGE_SIZE = 50;

/** The list page around `shown`: the filter form as the operator filled it in. */
function listPage(
  reply: FastifyReply,
  query: FilterQuery,
  shown: Record<string, unknown>,
  status = 200,
) {
  const data = {
    title: 'Events',
    section: 'events' as const,
    query,
    statuses: STATUS_ORDER,
    picked: pickedStatuses(query),
    filterParams: filterSearchParams(query).toString(),
  };
  return reply.page('events', { ...data, ...shown }, status);
}

const showFilterError: FilterRefusal = (request, reply, error) =>
  listPage(reply, request.query as FilterQuery, { error, rows: [] }, 400);

/** An event's page, with what an action on it came to when one was taken. */
export async function showEvent(
  deps: ConsoleDeps,
  reply: FastifyReply,
  rowId: number,
  answer?: Answer,
) {
  const [event, history, subscribers, deliveries, blockedKey] = await Promise.all([
    getEvent(deps.db, rowId),
    eventHistory(deps.db, rowId),
    eventSubscriberDetails(deps.db, rowId),
    eventDeliveryDetails(deps.db, rowId),
    keyBlockedBy(deps.db.pool, rowId),
  ]);
  if (!event) {
    return reply.page(
      'message',
      {
        title: 'Not found',
        section: 'events',
        heading: 'No such event',
        message: `There is no event with row ID ${rowId}.`,
      },
      404,
    );
  }
  const notReplayable = whyRowNotReplayable(event);
  return reply.page(
    'event',
    {
      title: `${event.source} ${event.eventId}`,
      section: 'events',
      event,
      history,
      historyLabels: HISTORY_LABELS,
      // Shown for a fan-out: a lone default subscriber's row says what the event's own fields do.
      subscribers: subscribers.some((row) => row.subscriber !== DEFAULT_SUBSCRIBER)
        ? subscribers
        : [],
      deliveries,
      job: await jobView(deps.queue, deps.redis, rowId),
      canReplay: notReplayable === undefined,
      notReplayable,
      canRetryNow: event.status === 'failed',
      blockedKey,
      answer,
    },
    answer?.status ?? 200,
  );
}

/** The event list and an event's page. */
export function eventPages(deps: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: FilterQuery }>(
      '/events',
      { schema: { querystring: filterQuerySchema }, preHandler: readFilter(showFilterError) },
      async (request, reply) => {
        const filter = filterOf(request);
        const [page, total] = await Promise.all([
          searchEvents(deps.db, filter, { limit: PAGE_SIZE, cursor: request.query.cursor }),
          countEvents(deps.db, filter),
        ]);
        if (page.kind === 'bad_cursor') {
          const error = 'That page link is no longer valid; start from the first page.';
          return listPage(reply, request.query, { error, rows: [] }, 400);
        }
        const filterParams = filterSearchParams(request.query).toString();
        const next = new URLSearchParams(filterParams);
        if (page.nextCursor) next.set('cursor', page.nextCursor);
        return listPage(reply, request.query, {
          rows: page.rows,
          total,
          nextHref: page.nextCursor ? `/events?${next}` : undefined,
          firstHref: request.query.cursor ? `/events?${filterParams}` : undefined,
        });
      },
    );

    app.get<{ Params: { id: number } }>(
      '/events/:id',
      { schema: { params: rowIdParams } },
      async (request, reply) => {
        const done = takeFlash(request);
        return showEvent(
          deps,
          reply,
          request.params.id,
          done ? { status: 200, ok: true, message: done } : undefined,
        );
      },
    );
  };
}

/** A replay of the whole event, or (`subscriber`) of one of its in-process subscribers. */
const replayBody = {
  type: 'object',
  properties: {
    _csrf: { type: 'string' },
    subscriber: { type: 'string', pattern: SUBSCRIBER_NAME.source, maxLength: 200 },
  },
} as const;

/** An event's job actions: after each, its page says what happened. */
export function eventActions(deps: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: { id: number }; Body: { subscriber?: string } }>(
      '/events/:id/replay',
      { schema: { params: rowIdParams, body: replayBody } },
      async (request, reply) => {
        const { subscriber } = request.body ?? {};
        const target = subscriber === undefined ? {} : { subscriber };
        const outcome = await replayEvent(actingFor(deps, request), request.params.id, target);
        const answer = replayAnswer(outcome);
        if (answer.ok) {
          return redirectWithFlash(request, reply, `/events/${request.params.id}`, answer.message);
        }
        return showEvent(deps, reply, request.params.id, answer);
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
        return showEvent(deps, reply, request.params.id, answer);
      },
    );

    app.post<{ Params: { id: number } }>(
      '/events/:id/skip',
      { schema: { params: rowIdParams } },
      async (request, reply) => {
        const answer = skipAnswer(await skipAndWake(actingFor(deps, request), request.params.id));
        if (answer.ok) {
          return redirectWithFlash(request, reply, `/events/${request.params.id}`, answer.message);
        }
        return showEvent(deps, reply, request.params.id, answer);
      },
    );
  };
}
