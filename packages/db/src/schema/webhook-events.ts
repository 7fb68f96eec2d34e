import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * received: stored, waiting for (or in) its first attempt; failed: an attempt threw and more
 * will come; dead: attempts exhausted; processed: the handler committed; ignored: no handler.
 */
export const eventStatus = pgEnum('event_status', [
  'received',
  'processed',
  'failed',
  'dead',
  'ignored',
]);

export type EventStatus = (typeof eventStatus.enumValues)[number];

export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    source: text().notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb().notNull(),
    /** As received, less every header that carries a credential. */
    headers: jsonb().$type<Record<string, string>>().notNull(),
    status: eventStatus().notNull().default('received'),
    attempts: integer().notNull().default(0),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    // The idempotency store: a provider's retry of an event is this key again.
    uniqueIndex('webhook_events_source_event_id_key').on(t.source, t.eventId),
    // The relay's scan for rows that may never have been queued.
    index('webhook_events_received_idx').on(t.receivedAt).where(sql`${t.status} = 'received'`),
    index('webhook_events_status_received_at_idx').on(t.status, t.receivedAt),
  ],
);

export type WebhookEventRow = typeof webhookEvents.$inferSelect;
