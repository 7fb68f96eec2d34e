import { type EventFilter, type FilterInput, parseEventFilter } from '@webhook-inbox/inbox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The event filter `readFilter` parsed; null on routes without it. */
    eventFilter: EventFilter | null;
  }
}

/** The list's query string; also what the API reads. */
export interface FilterQuery {
  source?: string;
  type?: string;
  status?: string | string[];
  event_id?: string;
  from?: string;
  to?: string;
  payload?: string;
  cursor?: string;
  limit?: string;
}

const FIELDS = ['source', 'type', 'status', 'event_id', 'from', 'to', 'payload'] as const;

export const filterQuerySchema = {
  type: 'object',
  properties: {
    ...Object.fromEntries(FIELDS.map((field) => [field, { type: 'string', maxLength: 1000 }])),
    status: {
      anyOf: [
        { type: 'string', maxLength: 200 },
        { type: 'array', items: { type: 'string', maxLength: 20 }, maxItems: 5 },
      ],
    },
    cursor: { type: 'string', maxLength: 200 },
    limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
  },
} as const;

export function filterInputFrom(query: FilterQuery): FilterInput {
  return {
    source: query.source,
    type: query.type,
    status: query.status,
    eventId: query.event_id,
    from: query.from,
    to: query.to,
    payload: query.payload,
  };
}

/** The filter part of a query string, to carry a filter into links and forms. */
export function filterSearchParams(query: FilterQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = query[field];
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one?.trim()) params.append(field, one.trim());
    }
  }
  return params;
}

/** The statuses picked, for checkboxes. */
export function pickedStatuses(query: FilterQuery): string[] {
  const value = query.status;
  return (Array.isArray(value) ? value : [value ?? ''])
    .flatMap((part) => part.split(','))
    .map((part) => part.trim())
    .filter(Boolean);
}

export function decorateFilter(app: FastifyInstance) {
  app.decorateRequest('eventFilter', null);
}

/** How a route shows a filter that does not parse; `error` says which field and why. */
export type FilterRefusal = (
  request: FastifyRequest,
  reply: FastifyReply,
  error: string,
) => FastifyReply | Promise<FastifyReply>;

/**
 * A preHandler that parses the filter of the query string (of the body on a POST) once, before
 * the handler, and hands one that does not parse to `refuse`.
 */
export function readFilter(refuse: FilterRefusal) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const query = (request.method === 'POST' ? request.body : request.query) as FilterQuery;
    const parsed = parseEventFilter(filterInputFrom(query));
    if (!parsed.ok) return refuse(request, reply, `${parsed.field}: ${parsed.reason}`);
    request.eventFilter = parsed.value;
  };
}

/** The filter `readFilter` parsed for this request. */
export function filterOf(request: FastifyRequest): EventFilter {
  if (!request.eventFilter) {
    throw new Error(`${request.routeOptions.url} has no readFilter preHandler`);
  }
  return request.eventFilter;
}
