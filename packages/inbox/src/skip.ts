import { type Database, webhookEvents } from '@webhook-inbox/db';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { type Actor, recordSkip } from './history.ts';
import type { OrderingKey } from './ordering.ts';
import { SKIPPABLE } from './status.ts';

const t = webhookEvents;

export type SkipOutcome =
  | { readonly kind: 'skipped'; readonly rowId: number; readonly key: OrderingKey }
  | { readonly kind: 'missing' }
  /** Only an ordered event holds anything back; an unordered one is replayed instead. */
  | { readonly kind: 'not_ordered' }
  | { readonly kind: 'not_skippable'; readonly status: string };

/**
 * Lets the events after an ordered one run without it: it is marked `ignored` (its handler does
 * not run; replay can still run it later) with a `skip` entry in its history. Only an event
 * that still holds its key (waiting, failing or dead) can be skipped.
 */
export async function skipEvent(db: Database, rowId: number, actor: Actor): Promise<SkipOutcome> {
  return db.transaction(async (tx) => {
    const [skipped] = await tx
      .update(t)
      .set({ status: 'ignored', lastError: null })
      .where(and(eq(t.id, rowId), inArray(t.status, SKIPPABLE), isNotNull(t.orderingKey)))
      .returning({ source: t.source, key: t.orderingKey });
    if (skipped?.key) {
      await recordSkip(tx, rowId, actor);
      return { kind: 'skipped', rowId, key: { source: skipped.source, key: skipped.key } };
    }
    const [row] = await tx
      .select({ status: t.status, key: t.orderingKey })
      .from(t)
      .where(eq(t.id, rowId));
    if (!row) return { kind: 'missing' };
    if (row.key === null) return { kind: 'not_ordered' };
    return { kind: 'not_skippable', status: row.status };
  });
}
