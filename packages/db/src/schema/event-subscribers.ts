import { bigint, integer, pgEnum, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { webhookEvents } from './webhook-events.ts';

/**
 * processed: the subscriber's handler committed, with its writes; failed: an attempt threw and
 * more will come; dead: attempts exhausted, skipped until replayed; pending: replayed, waiting
 * for its next attempt.
 */
export const subscriberStatus = pgEnum('subscriber_status', [
  'pending',
  'processed',
  'failed',
  'dead',
]);

export type SubscriberStatus = (typeof subscriberStatus.enumValues)[number];

/**
 * The in-process subscribers' ledger: one row per (event, subscriber), the truth of whether that
 * subscriber's effects happened. A `processed` row commits in the transaction of its handler's
 * writes. An event with one subscriber that succeeds at its first try needs no row: its own
 * `processed` mark, committed the same way, says it all. Deleted with the event by retention.
 */
export const eventSubscribers = pgTable(
  'event_subscribers',
  {
    eventRowId: bigint('event_row_id', { mode: 'number' })
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    subscriber: text().notNull(),
    status: subscriberStatus().notNull(),
    /** Attempts of this subscriber since the event was stored or last replayed. */
    attempts: integer().notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.eventRowId, t.subscriber] })],
);

export type EventSubscriberRow = typeof eventSubscribers.$inferSelect;
