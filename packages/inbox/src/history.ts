import {
  type Database,
  type HistoryEntryKind,
  type HistoryEntryRow,
  type Transaction,
  webhookEventAttempts,
} from '@webhook-inbox/db';
import { asc, eq } from 'drizzle-orm';

export type HistoryEntry = Omit<HistoryEntryRow, 'eventRowId'>;

/** Who asked for an action, as the history shows it: an operator's user name, `cli`, `api`. */
export type Actor = string;

const t = webhookEventAttempts;

/** What each kind of entry says to an operator, in the console and the CLI alike. */
export const HISTORY_LABELS: Readonly<Record<HistoryEntryKind, string>> = {
  attempt: 'attempt',
  replay: 'replayed',
  retry_now: 'retry now (backoff skipped)',
  gave_up: 'given up (job failed for good)',
  skip: 'skipped (the events after it in its ordering key went on)',
};

/** An event's attempts and the actions taken on it, oldest first. */
export async function eventHistory(db: Database, rowId: number): Promise<HistoryEntry[]> {
  return db
    .select({
      id: t.id,
      kind: t.kind,
      at: t.at,
      durationMs: t.durationMs,
      outcome: t.outcome,
      error: t.error,
      actor: t.actor,
    })
    .from(t)
    .where(eq(t.eventRowId, rowId))
    .orderBy(asc(t.at), asc(t.id));
}

/** Records that `actor` skipped the row, which went to `ignored`. */
export async function recordSkip(db: Transaction, rowId: number, actor: Actor): Promise<void> {
  await db.insert(t).values({ eventRowId: rowId, kind: 'skip', outcome: 'ignored', actor });
}

/**
 * Records that `actor` replayed, or ended the backoff of, each of the rows. `at` is when the
 * action took effect, which may be before this write: a worker can run the event in between.
 */
export async function recordAction(
  db: Database | Transaction,
  rowIds: readonly number[],
  kind: 'replay' | 'retry_now',
  actor: Actor,
  at: Date = new Date(),
): Promise<void> {
  if (rowIds.length === 0) return;
  const outcome = kind === 'replay' ? 'received' : 'failed';
  await db.insert(t).values(rowIds.map((eventRowId) => ({ eventRowId, kind, outcome, actor, at })));
}
