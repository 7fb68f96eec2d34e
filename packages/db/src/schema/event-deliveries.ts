import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { webhookEvents } from './webhook-events.ts';

/**
 * pending: waiting for (or in) its first attempt, or reset by a replay; failed: an attempt
 * failed and more will come; delivered: the destination answered 2xx; dead: attempts exhausted;
 * disabled: not sent, because the destination answered 410 Gone (to this or an earlier event).
 */
export const deliveryStatus = pgEnum('delivery_status', [
  'pending',
  'failed',
  'delivered',
  'dead',
  'disabled',
]);

export type DeliveryStatus = (typeof deliveryStatus.enumValues)[number];

/**
 * The ledger: one row per (event, destination), committed with the event's row, the truth of
 * whether that destination has the event. Deleted with the event by retention.
 */
export const eventDeliveries = pgTable(
  'event_deliveries',
  {
    eventRowId: bigint('event_row_id', { mode: 'number' })
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    destination: text().notNull(),
    status: deliveryStatus().notNull().default('pending'),
    /** Requests made; a try refused by the breaker or the rate limit is none. */
    attempts: integer().notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /**
     * When the runner means to try again (after a backoff, a `Retry-After`, an open breaker or
     * the rate limit); null when no try is planned.
     */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** As webhook_events.queued_at: null while its job may not exist, the relay's work list. */
    queuedAt: timestamp('queued_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.eventRowId, t.destination] }),
    index('event_deliveries_unqueued_idx')
      .on(t.eventRowId)
      .where(sql`${t.status} in ('pending', 'failed') and ${t.queuedAt} is null`),
  ],
);

export type EventDeliveryRow = typeof eventDeliveries.$inferSelect;

/** Each request made to a destination for an event. */
export const eventDeliveryAttempts = pgTable(
  'event_delivery_attempts',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    eventRowId: bigint('event_row_id', { mode: 'number' }).notNull(),
    destination: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    /** The HTTP status; null when no answer came (timeout, network). */
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    /** The first KiB of the answer's body. */
    responseSnippet: text('response_snippet').notNull().default(''),
    error: text(),
    /** The ledger status the attempt led to. */
    outcome: deliveryStatus().notNull(),
  },
  (t) => [
    foreignKey({
      name: 'event_delivery_attempts_delivery_fk',
      columns: [t.eventRowId, t.destination],
      foreignColumns: [eventDeliveries.eventRowId, eventDeliveries.destination],
    }).onDelete('cascade'),
    index('event_delivery_attempts_delivery_idx').on(t.eventRowId, t.destination, t.at),
  ],
);

export type DeliveryAttemptRow = typeof eventDeliveryAttempts.$inferSelect;

/**
 * Destinations that answered 410 Gone: nothing is sent to them until an operator enables
 * them again. Kept here, not in a process, so a restart does not forget.
 */
export const disabledDestinations = pgTable(
  'disabled_destinations',
  {
    source: text().notNull(),
    destination: text().notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }).notNull().defaultNow(),
    reason: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.destination] })],
);
