import {
  type Database,
  type Transaction,
  type WebhookEventRow,
  webhookEvents,
} from '@webhook-inbox/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { isFinished, statusesMovingTo } from './status.ts';

const MAX_ERROR_LENGTH = 2_000;

export type Claim =
  | { readonly kind: 'missing' }
  /** Processed or ignored already: the job ends without running anything. */
  | { readonly kind: 'finished'; readonly row: WebhookEventRow }
  | { readonly kind: 'claimed'; readonly row: WebhookEventRow };

/**
 * Locks the event's row for the rest of `tx`: every job of one event queues behind this lock,
 * so a handler never runs twice at once, and a finished row ends the job at once.
 */
export async function claimEvent(tx: Transaction, rowId: number): Promise<Claim> {
  const [row] = await tx
    .select()
    .from(webhookEvents)
    .where(eq(webhookEvents.id, rowId))
    .for('update');
  if (!row) return { kind: 'missing' };
  return isFinished(row.status) ? { kind: 'finished', row } : { kind: 'claimed', row };
}

/** In the claiming transaction, after the handler: its writes and this mark commit together. */
export async function markHandled(
  tx: Transaction,
  rowId: number,
  status: 'processed' | 'ignored',
): Promise<void> {
  await tx
    .update(webhookEvents)
    .set({
      status,
      attempts: sql`${webhookEvents.attempts} + 1`,
      lastError: null,
      processedAt: sql`now()`,
    })
    .where(eq(webhookEvents.id, rowId));
}

export function describeError(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.slice(0, MAX_ERROR_LENGTH);
}

/**
 * Records a failed attempt after the handler's transaction rolled back: `failed` while more
 * attempts will come, `dead` after the last. A row finished meanwhile is left as it is.
 */
export async function recordFailure(
  db: Database,
  rowId: number,
  error: unknown,
  final: boolean,
): Promise<void> {
  const status = final ? 'dead' : 'failed';
  await db
    .update(webhookEvents)
    .set({ status, attempts: sql`${webhookEvents.attempts} + 1`, lastError: describeError(error) })
    .where(
      and(eq(webhookEvents.id, rowId), inArray(webhookEvents.status, statusesMovingTo(status))),
    );
}

/**
 * For jobs BullMQ failed for good while the row says otherwise (the job stalled more often than
 * allowed, or the last failure could not be recorded): the row must not stay unfinished.
 */
export async function markDeadIfUnfinished(
  db: Database,
  rowId: number,
  error: Error,
): Promise<void> {
  await db
    .update(webhookEvents)
    .set({ status: 'dead', lastError: describeError(error) })
    .where(
      and(eq(webhookEvents.id, rowId), inArray(webhookEvents.status, statusesMovingTo('dead'))),
    );
}
