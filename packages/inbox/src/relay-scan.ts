import { type Database, webhookEvents } from '@webhook-inbox/db';
import { and, asc, gt, inArray, lt, sql } from 'drizzle-orm';
import { UNFINISHED } from './status.ts';

// One relay at a time across every worker process; the others skip their turn.
const RELAY_LOCK_KEY = 0x77_69_72_6c; // "wirl"

export interface UnfinishedScan {
  /** The walk goes on after this row ID; 0 starts it over. */
  readonly afterId: number;
  /** Only rows older than this may lack a job (Redis was down, the ingress died). */
  readonly olderThanMs: number;
  readonly limit: number;
}

export interface UnfinishedRow {
  readonly rowId: number;
  readonly source: string;
}

/**
 * The next batch of old unfinished rows, in ID order, handed to `enqueue` while this process
 * holds the relay lock. Returns undefined when another process holds it.
 */
export async function relayUnfinished(
  db: Database,
  scan: UnfinishedScan,
  enqueue: (rows: readonly UnfinishedRow[]) => Promise<void>,
): Promise<UnfinishedRow[] | undefined> {
  return db.transaction(async (tx) => {
    const lock = await tx.execute<{ locked: boolean }>(
      sql`select pg_try_advisory_xact_lock(${RELAY_LOCK_KEY}) as locked`,
    );
    if (!lock.rows[0]?.locked) return undefined;
    const rows = await tx
      .select({ rowId: webhookEvents.id, source: webhookEvents.source })
      .from(webhookEvents)
      .where(
        and(
          inArray(webhookEvents.status, UNFINISHED),
          gt(webhookEvents.id, scan.afterId),
          lt(webhookEvents.receivedAt, sql`now() - ${scan.olderThanMs} * interval '1 millisecond'`),
        ),
      )
      .orderBy(asc(webhookEvents.id))
      .limit(scan.limit);
    if (rows.length > 0) await enqueue(rows);
    return rows;
  });
}
