import { eventStatus } from '@webhook-inbox/db';
import { inboxStats } from '@webhook-inbox/inbox';
import type { CliEnv } from '../env.ts';
import { age } from '../format.ts';
import { withDb } from '../inbox.ts';
import type { Output } from '../output.ts';

/** Counts by source and status, and the lag: how long the oldest unfinished event has waited. */
export async function stats(env: CliEnv, out: Output) {
  const found = await withDb(env, (db) => inboxStats(db));
  const { bySourceAndStatus, oldestUnfinished, dead } = found;
  out.result({ bySourceAndStatus, oldestUnfinished, dead, at: found.at }, () => {
    const statuses = eventStatus.enumValues;
    const sources = [...new Set(bySourceAndStatus.map((row) => row.source))];
    const countOf = (source: string, status: string) =>
      bySourceAndStatus.find((row) => row.source === source && row.status === status)?.count ?? 0;
    const rows = sources.map((source) => [
      source,
      ...statuses.map((status) => countOf(source, status)),
    ]);
    const table =
      sources.length === 0 ? 'the inbox is empty' : out.table(['source', ...statuses], rows);
    const lag = oldestUnfinished
      ? `lag: ${age(oldestUnfinished.ageSeconds)} (row ${oldestUnfinished.id}, ${oldestUnfinished.source} ${oldestUnfinished.eventId}, ${oldestUnfinished.status})`
      : 'lag: none (nothing waits)';
    const lagLine =
      oldestUnfinished && oldestUnfinished.ageSeconds > 300
        ? out.color.red(lag)
        : out.color.green(lag);
    const deadLine =
      dead > 0 ? out.color.red(`${dead} dead: webhook-inbox events --status dead`) : '';
    return [table, lagLine, deadLine].filter(Boolean).join('\n');
  });
  return 0;
}
