import {
  bigint,
  bigserial,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { webhookEvents } from './webhook-events.ts';

/**
 * attempt: a worker ran the event (outcome processed, ignored, failed or dead); replay and
 * retry_now: an operator acted on it; skip: an operator let the events after it in its ordering key
 * run without it (it is then ignored); gave_up: BullMQ failed its job for good outside an attempt.
 */
export const historyEntryKind = pgEnum('history_entry_kind', [
  'attempt',
  'replay',
  'retry_now',
  'gave_up',
  'skip',
]);

export type HistoryEntryKind = (typeof historyEntryKind.enumValues)[number];

/** An event's history, one row per attempt or action; deleted with the event by retention. */
export const webhookEventAttempts = pgTable(
  'webhook_event_attempts',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    eventRowId: bigint('event_row_id', { mode: 'number' })
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    kind: historyEntryKind().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** How long the attempt took, handler included; null for actions. */
    durationMs: integer('duration_ms'),
    /** The status the event went to: processed, ignored, failed, dead, or received on a replay. */
    outcome: text().notNull(),
    error: text(),
    /** The worker that ran the attempt, or who acted: an operator's user name, `cli`, `api`. */
    actor: text().notNull(),
  },
  (t) => [index('webhook_event_attempts_event_row_id_idx').on(t.eventRowId, t.at)],
);

export type HistoryEntryRow = typeof webhookEventAttempts.$inferSelect;
