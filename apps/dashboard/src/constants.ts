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

/** The `:id` of an event's routes: an inbox row ID. */
export const rowIdParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
  required: ['id'],
} as const;
