import type { Database, EventStatus } from '@webhook-inbox/db';
import { sql } from 'drizzle-orm';
import { UNFINISHED } from './status.ts';

export interface SourceStatusCount {
  readonly source: string;
  readonly status: EventStatus;
  readonly count: number;
}

export interface OldestUnfinished {
  readonly id: number;
  readonly source: string;
  readonly eventId: string;
  readonly status: EventStatus;
  readonly receivedAt: Date;
  readonly ageSeconds: number;
}

export interface InboxStats {
  readonly bySourceAndStatus: SourceStatusCount[];
  /** The unfinished event waiting longest; null when none waits. */
  readonly oldestUnfinished: OldestUnfinished | null;
  /** Events received in each of the last 60 minutes, oldest minute first, the current one last. */
  readonly perMinute: { readonly minute: Date; readonly count: number }[];
  /** Attempts exhausted: these need an operator. */
  readonly dead: number;
  readonly at: Date;
}

const MINUTES = 60;
// Literals, not parameters, so the planner can match the partial index on unfinished rows.
const UNFINISHED_LITERALS = sql.raw(UNFINISHED.map((status) => `'${status}'`).join(', '));

async function countsBySourceAndStatus(db: Database): Promise<SourceStatusCount[]> {
  const result = await db.execute<{ source: string; status: EventStatus; count: string }>(
    sql`select source, status, count(*) as count from webhook_events
        group by source, status order by source, status`,
  );
  return result.rows.map((row) => ({ ...row, count: Number(row.count) }));
}

// The partial index on unfinished rows is ordered by ID, and IDs follow arrival.
async function oldestUnfinished(db: Database): Promise<OldestUnfinished | null> {
  const result = await db.execute<{
    id: string;
    source: string;
    event_id: string;
    status: EventStatus;
    received_at: Date;
    age_seconds: number;
  }>(
    sql`select id, source, event_id, status, received_at,
          extract(epoch from now() - received_at)::float8 as age_seconds
        from webhook_events
        where status in (${UNFINISHED_LITERALS})
        order by id limit 1`,
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: Number(row.id),
    source: row.source,
    eventId: row.event_id,
    status: row.status,
    receivedAt: new Date(row.received_at),
    ageSeconds: Math.max(0, row.age_seconds),
  };
}

async function receivedPerMinute(db: Database): Promise<InboxStats['perMinute']> {
  const result = await db.execute<{ now_minute: Date; minute: Date | null; count: string }>(
    sql`with bounds as (select date_trunc('minute', now()) as now_minute)
        select bounds.now_minute, counted.minute, counted.count
        from bounds left join (
          select date_trunc('minute', received_at) as minute, count(*) as count
          from webhook_events, bounds
          where received_at >= bounds.now_minute - ${MINUTES - 1} * interval '1 minute'
          group by 1
        ) counted on true`,
  );
  const nowMinute = new Date(result.rows[0]?.now_minute ?? Date.now()).getTime();
  const counts = new Map(
    result.rows
      .filter((row) => row.minute !== null)
      .map((row) => [new Date(row.minute as Date).getTime(), Number(row.count)]),
  );
  return Array.from({ length: MINUTES }, (_, i) => {
    const minute = nowMinute - (MINUTES - 1 - i) * 60_000;
    return { minute: new Date(minute), count: counts.get(minute) ?? 0 };
  });
}

export async function inboxStats(db: Database): Promise<InboxStats> {
  const [bySourceAndStatus, oldest, perMinute] = await Promise.all([
    countsBySourceAndStatus(db),
    oldestUnfinished(db),
    receivedPerMinute(db),
  ]);
  // From the same snapshot as the table of counts, so the two never disagree.
  const dead = bySourceAndStatus
    .filter((row) => row.status === 'dead')
    .reduce((sum, row) => sum + row.count, 0);
  return { bySourceAndStatus, oldestUnfinished: oldest, perMinute, dead, at: new Date() };
}
