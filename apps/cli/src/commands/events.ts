import { searchEvents } from '@webhook-inbox/inbox';
import type { CliEnv } from '../env.ts';
import { type FilterFlags, filterFrom } from '../filter-options.ts';
import { ago, statusText } from '../format.ts';
import { withDb } from '../inbox.ts';
import type { Output } from '../output.ts';

/** The newest events matching the filter, newest first. */
export async function events(env: CliEnv, out: Output, flags: FilterFlags & { limit: number }) {
  const filter = filterFrom(flags);
  const page = await withDb(env, (db) => searchEvents(db, filter, { limit: flags.limit }));
  if (page.kind === 'bad_cursor') throw new Error('unreachable: no cursor was given');
  out.result(page.rows, () => {
    if (page.rows.length === 0) return 'no events match';
    const table = out.table(
      ['id', 'source', 'event id', 'type', 'status', 'tries', 'received'],
      page.rows.map((row) => [
        row.id,
        row.source,
        row.eventId,
        row.eventType,
        statusText(out, row.status) + (row.pruned ? out.color.dim(' (pruned)') : ''),
        row.attempts,
        ago(row.receivedAt),
      ]),
    );
    const more = page.nextCursor
      ? `\n${out.color.dim(`more match: raise --limit (up to 500) or narrow the filter`)}`
      : '';
    return `${table}${more}`;
  });
  return 0;
}
