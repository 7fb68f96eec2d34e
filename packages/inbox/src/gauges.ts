import type { Database, EventStatus } from '@webhook-inbox/db';
import { BLOCKED_HEADS } from './ordering.ts';

/** The statuses an operator watches: work waiting, work retrying, work given up. */
export const WATCHED_STATUSES = ['received', 'failed', 'dead'] as const satisfies EventStatus[];

export interface InboxGauges {
  readonly byStatus: Readonly<Record<(typeof WATCHED_STATUSES)[number], number>>;
  /** Age of the oldest received or failed event, in seconds; 0 when none waits. */
  readonly oldestUnfinishedSeconds: number;
  /** Ordering keys whose head event failed or is dead, holding back the events after it. */
  readonly blockedKeys: number;
}

// Cheap on any table size: the watched statuses are few rows in a healthy inbox (processed and
// ignored ones, the history, are never counted here), and each minimum is one index lookup on
// (status, received_at). The blocked keys are found among those same unfinished and dead rows.
const GAUGES = `
  select
    (select count(*) from webhook_events where status = 'received')::int as received,
    (select count(*) from webhook_events where status = 'failed')::int as failed,
    (select count(*) from webhook_events where status = 'dead')::int as dead,
    coalesce(extract(epoch from now() - least(
      (select min(received_at) from webhook_events where status = 'received'),
      (select min(received_at) from webhook_events where status = 'failed')
    )), 0)::float8 as oldest,
    (select count(*) from ${BLOCKED_HEADS})::int as blocked_keys`;

/** What the lag and status gauges show, read in one statement. */
export async function readInboxGauges(db: Database): Promise<InboxGauges> {
  const [row] = await db.rows<{
    received: number;
    failed: number;
    dead: number;
    oldest: number;
    blocked_keys: number;
  }>(GAUGES);
  if (!row) throw new Error('the gauge query returned no row');
  return {
    byStatus: { received: row.received, failed: row.failed, dead: row.dead },
    oldestUnfinishedSeconds: Math.max(0, row.oldest),
    blockedKeys: row.blocked_keys,
  };
}
