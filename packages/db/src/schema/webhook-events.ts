import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * received: stored, waiting for (or in) its first attempt; failed: an attempt threw and more
 * will come; dead: attempts exhausted; processed: the handler committed; ignored: no handler
 * (or an operator skipped it); stale: older than the last event applied for its ordering key.
 */
export const eventStatus = pgEnum('event_status', [
  'received',
  'processed',
  'failed',
  'dead',
  'ignored',
  'stale',
]);

export type EventStatus = (typeof eventStatus.enumValues)[number];

export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    source: text().notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** Null once retention has pruned a finished event to its tombstone (see `prunedAt`). */
    payload: jsonb(),
    /** As received, less every header that carries a credential; null once pruned. */
    headers: jsonb().$type<Record<string, string>>(),
    /**
     * SHA-256 (hex) of the body as first received (less any fields its provider re-stamps on
     * every retry, such as Linear's `webhookTimestamp`): a later delivery with the same event ID
     * and another digest is a conflicting duplicate (acked, but counted and logged).
     */
    bodySha256: text('body_sha256'),
    /**
     * Set only when the event ID is not covered by the signature (GitHub, Shopify…): the SHA-256
     * of what is, with an unsigned event type (Shopify's topic) folded in. Unique per source, so a
     * captured request replayed under a new ID is a duplicate.
     */
    signedContentSha256: text('signed_content_sha256'),
    status: eventStatus().notNull().default('received'),
    attempts: integer().notNull().default(0),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    /**
     * When its job was last known to be added to the queue; null while it may have none (Redis
     * was down, the ingress died before queuing, or Redis lost its jobs): the relay's work list.
     */
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    /** When retention dropped the payload and headers, keeping the row for deduplication. */
    prunedAt: timestamp('pruned_at', { withTimezone: true }),
    /**
     * Set at ingest when its source orders events (the sources file's `ordering`): events with
     * the same source and key run one at a time, in `ordering_value` then ID order.
     */
    orderingKey: text('ordering_key'),
    /** The provider's timestamp or version the source orders by; null by arrival or if absent. */
    orderingValue: numeric('ordering_value', { mode: 'number' }),
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
    // Unfinished rows with no job known to exist: what the relay queues, however large the backlog.
    index('webhook_events_unqueued_idx')
      .on(t.id)
      .where(sql`${t.status} in ('received', 'failed') and ${t.queuedAt} is null`),
    index('webhook_events_status_received_at_idx').on(t.status, t.receivedAt),
    // Retention's tombstone step: finished rows whose payload is still there, oldest first.
    index('webhook_events_prunable_idx')
      .on(t.receivedAt)
      .where(sql`${t.prunedAt} is null and ${t.status} in ('processed', 'ignored')`),
    // The console's event list pages newest first on (received_at, id), alone or behind one
    // equality filter; a time range is a range on the same key.
    index('webhook_events_received_at_id_idx').on(t.receivedAt, t.id),
    index('webhook_events_source_received_at_idx').on(t.source, t.receivedAt, t.id),
    index('webhook_events_type_received_at_idx').on(t.eventType, t.receivedAt, t.id),
    // An operator often has an event ID from a provider's dashboard but not our source name.
    index('webhook_events_event_id_idx').on(t.eventId),
    // The events of a key still holding it (unfinished or dead): who may run next, who blocks.
    index('webhook_events_ordering_waiting_idx')
      .on(t.source, t.orderingKey, t.id)
      .where(sql`${t.orderingKey} is not null and ${t.status} in ('received', 'failed', 'dead')`),
    // The last value applied for a key, which an older event is stale against.
    index('webhook_events_ordering_applied_idx')
      .on(t.source, t.orderingKey, t.orderingValue)
      .where(sql`${t.orderingKey} is not null and ${t.status} = 'processed'`),
    // Payload search is jsonb containment (`@>`), which jsonb_path_ops answers with a small index.
    index('webhook_events_payload_idx').using('gin', t.payload.op('jsonb_path_ops')),
  ],
);

export type WebhookEventRow = typeof webhookEvents.$inferSelect;

/**
 * The dedupe keys of events retention deleted from sources whose signature carries no timestamp
 * (GitHub, Shopify…): there the key is the only replay defence, so it outlives the row. A
 * delivery matching one is a duplicate with nothing left to run.
 */
export const retainedEventKeys = pgTable(
  'retained_event_keys',
  {
    source: text().notNull(),
    eventId: text('event_id').notNull(),
    signedContentSha256: text('signed_content_sha256'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.source, t.eventId] }),
    uniqueIndex('retained_event_keys_source_signed_content_key')
      .on(t.source, t.signedContentSha256)
      .where(sql`${t.signedContentSha256} is not null`),
  ],
);
