import { readSourcesFile } from '@webhook-inbox/config';
import type { DbClient } from '@webhook-inbox/db';
import {
  countReplayable,
  type EventFilter,
  getEvent,
  whyRowNotReplayable,
} from '@webhook-inbox/inbox';
import {
  type ReplayDeps,
  type ReplayOneOutcome,
  replayEvent,
  replayMatching,
} from '@webhook-inbox/inbox-queue';
import type { CliEnv } from '../env.ts';
import { type FilterFlags, filterFrom } from '../filter-options.ts';
import { withDb, withQueue } from '../inbox.ts';
import { type Output, UsageError } from '../output.ts';
import { actOnRows } from '../row-actions.ts';

export interface ReplayFlags extends FilterFlags {
  readonly dryRun?: boolean;
}

function describeOutcome(outcome: ReplayOneOutcome): string {
  switch (outcome.kind) {
    case 'replayed':
      return 'replayed';
    case 'missing':
      return 'no such event';
    case 'pruned':
      return 'not replayed: retention dropped its payload';
    case 'not_replayable':
      return `not replayed: ${outcome.reason}`;
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

/** What replaying these rows would do, without doing it. */
async function dryRunRows(db: DbClient, ids: readonly number[]) {
  return Promise.all(
    ids.map(async (id) => {
      const row = await getEvent(db.db, id);
      if (!row) return { id, wouldReplay: false, why: 'no such event' };
      const why = whyRowNotReplayable(row);
      return {
        id,
        status: row.status,
        wouldReplay: why === undefined,
        why: why ?? 'dead or ignored',
      };
    }),
  );
}

async function replayRows(out: Output, deps: ReplayDeps, ids: readonly number[]) {
  const results = await actOnRows(out, ids, {
    label: 'replaying',
    act: (id) => replayEvent(deps, id),
    succeeded: (outcome) => outcome.kind === 'replayed',
    describe: describeOutcome,
  });
  return results.every((result) => result.kind === 'replayed') ? 0 : 1;
}

async function replayFilter(out: Output, deps: ReplayDeps, filter: EventFilter) {
  const { replayable } = await countReplayable(deps.db, filter);
  const bar = out.progress(replayable, 'replaying');
  const result = await replayMatching(deps, filter, { onBatch: (n) => bar.increment(n) });
  bar.stop();
  out.result(result, () => `replayed ${result.replayed} event(s)`);
  return 0;
}

/**
 * Gives dead and ignored events a fresh start: by row IDs, or every one a filter matches.
 * `--dry-run` says what would be replayed and changes nothing.
 */
export async function replay(env: CliEnv, out: Output, ids: readonly number[], flags: ReplayFlags) {
  const filter = filterFrom(flags);
  const filtered = Object.keys(filter).length > 0;
  if (ids.length > 0 === filtered) {
    throw new UsageError(
      'name row IDs, or filter (e.g. --status dead --source stripe), not both or neither',
    );
  }
  if (flags.dryRun) {
    if (ids.length > 0) {
      const rows = await withDb(env, (db) => dryRunRows(db, ids));
      out.result(rows, () =>
        out.table(
          ['row id', 'would replay', 'why'],
          rows.map((row) => [
            row.id,
            row.wouldReplay ? out.color.green('yes') : out.color.yellow('no'),
            row.why,
          ]),
        ),
      );
      return 0;
    }
    const counts = await withDb(env, (db) => countReplayable(db.db, filter));
    out.result(
      counts,
      () =>
        `${counts.matching} event(s) match; ${counts.replayable} would be replayed (dead or ignored, payload kept)`,
    );
    return 0;
  }
  const retryPolicies = readSourcesFile(env.SOURCES_FILE).retryPolicies();
  return withQueue(env, (db, queue, deliveryQueue) => {
    const deps = { db: db.db, queue, deliveryQueue, retryPolicies, actor: 'cli' };
    return ids.length > 0 ? replayRows(out, deps, ids) : replayFilter(out, deps, filter);
  });
}
