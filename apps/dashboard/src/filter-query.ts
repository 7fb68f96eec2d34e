import type { FilterInput } from '@webhook-inbox/inbox';

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
