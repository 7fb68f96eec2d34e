import type { EventStatus } from '@webhook-inbox/inbox';

/** Where Bull Board is served. */
export const BOARD_PATH = '/queues';

/** Columns in the order an operator reads them: what waits, what failed, what is done. */
export const STATUS_ORDER: readonly EventStatus[] = [
  'received',
  'failed',
  'dead',
  'stale',
  'ignored',
  'processed',
];

/** A source's or a destination's name, as the sources file allows it. */
const nameSchema = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$', maxLength: 200 } as const;

/** The `:source/:destination` of a destination's routes. */
export const destinationParams = {
  type: 'object',
  properties: { source: nameSchema, destination: nameSchema },
  required: ['source', 'destination'],
} as const;

/** The `:id` and `:destination` of an event's delivery routes. */
export const deliveryParams = {
  type: 'object',
  properties: {
    id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    destination: nameSchema,
  },
  required: ['id', 'destination'],
} as const;

/** The `:id` of an event's routes: an inbox row ID. */
export const rowIdParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
  required: ['id'],
} as const;
