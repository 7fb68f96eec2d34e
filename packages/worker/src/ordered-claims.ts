import type { ClaimedEvent, HandledRow, OrderingKey } from '@webhook-inbox/inbox';
import type { GroupDeps, GroupEntry, GroupResult } from './group-transaction.ts';
import { WORKER_NAME } from './worker-name.ts';

/** A stale event's row, marked in its group's commit like a handled one, its handler not run. */
export function staleRow(index: number, entry: GroupEntry, event: ClaimedEvent) {
  const attempt = {
    worker: WORKER_NAME,
    startedAt: entry.startedAt,
    durationMs: performance.now() - entry.started,
  };
  const row: HandledRow = { rowId: entry.rowId, status: 'stale', attempt };
  return { index, event, row };
}

/** The events of the jobs that ended at their claim (found finished). */
export function endedEvents(results: readonly (GroupResult | undefined)[]): ClaimedEvent[] {
  return results.flatMap((result) =>
    result?.kind === 'ended' && result.event ? [result.event] : [],
  );
}

/**
 * Tells `onKeysReleased`, once per key, the ordering keys of the events a group finished or
 * found finished: the next event of each may start now.
 */
export function releaseKeys(deps: GroupDeps, events: readonly ClaimedEvent[]) {
  if (!deps.onKeysReleased) return;
  const keys = new Map<string, OrderingKey>();
  for (const { source, ordering } of events) {
    if (ordering) keys.set(`${source}\n${ordering.key}`, { source, key: ordering.key });
  }
  if (keys.size > 0) deps.onKeysReleased([...keys.values()]);
}
