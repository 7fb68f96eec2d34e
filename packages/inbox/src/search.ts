import {
  type Database,
  type EventStatus,
  type WebhookEventRow,
  webhookEvents,
} from '@webhook-inbox/db';
import { and, count, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { type EventFilter, filterConditions } from './filter.ts';
import { MAX_PAYLOAD_READ_BYTES } from './payload-read.ts';

/** A row as a list shows it: no payload, no headers. */
export interface EventSummary {
  readonly id: number;
  readonly source: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly status: EventStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly receivedAt: Date;
  readonly processedAt: Date | null;
  /** Retention dropped its payload and headers; the row stays for deduplication. */
  readonly pruned: boolean;
}

export interface PageRequest {
  /** Rows per page, 1 to 500. */
  readonly limit: number;
  /** `nextCursor` of the previous page; absent for the first. */
  readonly cursor?: string | undefined;
}

export type SearchOutcome =
  | {
      readonly kind: 'page';
      readonly rows: EventSummary[];
      /** Null on the last page. */
      readonly nextCursor: string | null;
    }
  | { readonly kind: 'bad_cursor' };

export const MAX_PAGE_SIZE = 500;
const LAST_ERROR_PREVIEW = 300;

interface CursorKey {
  /** received_at to the microsecond, which a JS Date cannot hold. */
  readonly receivedAt: string;
  readonly id: number;
}

function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.receivedAt, key.id])).toString('base64url');
}

/** Exactly as `cursorAt` writes it: anything looser (which Date.parse may accept) can fail in Postgres. */
const CURSOR_TIME = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A real UTC instant in the cursor's form: Feb 30 or hour 24 round-trip to another time. */
function isCursorTime(text: string): boolean {
  const match = CURSOR_TIME.exec(text);
  if (!match || Number(match[1]) < 1) return false;
  const toMillis = `${text.slice(0, 23)}Z`;
  const parsed = new Date(toMillis);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString() === toMillis;
}

function decodeCursor(cursor: string): CursorKey | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [receivedAt, id] = value as unknown[];
    if (typeof receivedAt !== 'string' || !Number.isSafeInteger(id)) return undefined;
    if (!isCursorTime(receivedAt)) return undefined;
    return { receivedAt, id: id as number };
  } catch {
    return undefined;
  }
}

const t = webhookEvents;
const summaryColumns = {
  id: t.id,
  source: t.source,
  eventId: t.eventId,
  eventType: t.eventType,
  status: t.status,
  attempts: t.attempts,
  lastError: sql<string | null>`left(${t.lastError}, ${sql.raw(String(LAST_ERROR_PREVIEW))})`,
  receivedAt: t.receivedAt,
  processedAt: t.processedAt,
  pruned: sql<boolean>`${t.prunedAt} is not null`,
  cursorAt: sql<string>`to_char(${t.receivedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

/**
 * Newest first, paged by keyset on (received_at, id): each page starts where the last one
 * ended, so a deep page costs what the first does and rows arriving meanwhile shift nothing.
 */
export async function searchEvents(
  db: Database,
  filter: EventFilter,
  page: PageRequest,
): Promise<SearchOutcome> {
  const after = page.cursor ? decodeCursor(page.cursor) : undefined;
  if (page.cursor && !after) return { kind: 'bad_cursor' };
  const limit = Math.min(Math.max(Math.trunc(page.limit), 1), MAX_PAGE_SIZE);
  const conditions = filterConditions(filter);
  if (after) {
    conditions.push(
      sql`(${t.receivedAt}, ${t.id}) < (${after.receivedAt}::timestamptz, ${after.id})`,
    );
  }
  const found = await db
    .select(summaryColumns)
    .from(t)
    .where(and(...conditions))
    .orderBy(desc(t.receivedAt), desc(t.id))
    .limit(limit + 1);
  const more = found.length > limit;
  const rows = found.slice(0, limit);
  const last = rows.at(-1);
  return {
    kind: 'page',
    rows: rows.map(({ cursorAt: _, ...row }) => row),
    nextCursor: more && last ? encodeCursor({ receivedAt: last.cursorAt, id: last.id }) : null,
  };
}

export async function countEvents(db: Database, filter: EventFilter): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(t)
    .where(and(...filterConditions(filter)));
  return row?.n ?? 0;
}

/** A row with everything it holds; `payload` is null when pruned or `payloadTooLarge`. */
export type EventDetail = WebhookEventRow & {
  /** The payload prints past the read limit, so it was not read. */
  readonly payloadTooLarge: boolean;
};

const payloadTooLarge = sql<boolean>`coalesce(octet_length(${t.payload}::text) > ${sql.raw(String(MAX_PAYLOAD_READ_BYTES))}, false)`;

/** Every column, payload and headers included; undefined when no such row exists. */
export async function getEvent(db: Database, rowId: number): Promise<EventDetail | undefined> {
  if (!Number.isSafeInteger(rowId)) return undefined;
  const [row] = await db
    .select({
      ...getTableColumns(t),
      payload: sql`case when ${payloadTooLarge} then null else ${t.payload} end`.mapWith(t.payload),
      payloadTooLarge,
    })
    .from(t)
    .where(eq(t.id, rowId));
  return row;
}
