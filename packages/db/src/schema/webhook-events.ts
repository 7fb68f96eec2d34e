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
    /**
     * Set only when the event ID is not covered by the signature (GitHub, Shopify…): the SHA-256
     * of what is. Unique per source, so a captured request replayed under a new ID is a duplicate.
     */
    signedContentSha256: text('signed_content_sha256'),
    status: eventStatus().notNull().default('received'),
    attempts: integer().notNull().default(0),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    // The idempotency store: a provider's retry of an event is this key again.
    uniqueIndex('webhook_events_source_event_id_key').on(t.source, t.eventId),
    uniqueIndex('webhook_events_source_signed_content_key')
      .on(t.source, t.signedContentSha256)
      .where(sql`${t.signedContentSha256} is not null`),
    // The relay walks unfinished rows by ID; finished rows leave this index, so it stays small.
    index('webhook_events_unfinished_idx')
      .on(t.id)
      .where(sql`${t.status} in ('received', 'failed')`),
    index('webhook_events_status_received_at_idx').on(t.status, t.receivedAt),
  ],
);

export type WebhookEventRow = typeof webhookEvents.$inferSelect;
