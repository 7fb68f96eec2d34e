import type { Database } from '@webhook-inbox/db';
import { type EventFilter, searchEvents } from '@webhook-inbox/inbox';
import { type RetryNowOutcome, retryNow } from '@webhook-inbox/inbox-queue';
import type { CliEnv } from '../env.ts';
import { type FilterFlags, filterFrom } from '../filter-options.ts';
import { withQueue } from '../inbox.ts';
import { type Output, UsageError } from '../output.ts';
import { actOnRows } from '../row-actions.ts';

function describeOutcome(outcome: RetryNowOutcome): string {
  switch (outcome.kind) {
    case 'promoted':
      return 'retrying now';
    case 'missing':
      return 'no such event';
    case 'not_failed':
      return `not failed but ${outcome.status}${outcome.status === 'dead' ? ': replay it instead' : ''}`;
    case 'not_delayed':
      return `its job is ${outcome.jobState}, not waiting out a backoff`;
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

/** Every failed event the filter matches, page by page. */
async function failedMatching(db: Database, filter: EventFilter): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await searchEvents(
      db,
      { ...filter, statuses: ['failed'] },
      { limit: 500, cursor },
    );
    if (page.kind === 'bad_cursor') throw new Error('the inbox rejected its own cursor');
    ids.push(...page.rows.map((row) => row.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
}

/** Ends the backoff of failed events: their next attempt starts as soon as a worker is free. */
export async function retryNowCommand(
  env: CliEnv,
  out: Output,
  ids: readonly number[],
  flags: FilterFlags,
) {
  const filter = filterFrom(flags);
  const filtered = Object.keys(filter).length > 0;
  if (ids.length > 0 && filtered) throw new UsageError('name row IDs, or filter, not both');
  return withQueue(env, async (db, queue) => {
    const targets = ids.length > 0 ? ids : await failedMatching(db, filter);
    const results = await actOnRows(out, targets, {
      label: 'retrying',
      act: (id) => retryNow({ db, queue, actor: 'cli' }, id),
      succeeded: (outcome) => outcome.kind === 'promoted',
      describe: describeOutcome,
      none: 'no failed events match',
    });
    return ids.length > 0 && results.some((result) => result.kind !== 'promoted') ? 1 : 0;
  });
}
