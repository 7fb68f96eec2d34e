import { readSourcesFile } from '@webhook-inbox/config';
import type { Database } from '@webhook-inbox/db';
import {
  countReplayable,
  type EventFilter,
  getEvent,
  isSubscriberName,
  SUBSCRIBER_NAME_RULE,
  subscriberStatus,
  whyRowNotReplayable,
  whySubscriberNotReplayable,
} from '@webhook-inbox/inbox';
import {
  type ReplayDeps,
  type ReplayOneOutcome,
  type ReplayTarget,
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
  /** Run again only this in-process subscriber of each event, the one that failed on it. */
  readonly subscriber?: string;
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

/** Why the target cannot be replayed on the row; undefined when it can. */
async function whyTargetNot(db: Database, rowId: number, { subscriber }: ReplayTarget) {
  if (subscriber === undefined) return undefined;
  return whySubscriberNotReplayable(subscriber, await subscriberStatus(db, { rowId, subscriber }));
}

/** What replaying these rows would do, without doing it. */
async function dryRunRows(db: Database, ids: readonly number[], target: ReplayTarget) {
  return Promise.all(
    ids.map(async (id) => {
      const row = await getEvent(db, id);
      if (!row) return { id, wouldReplay: false, why: 'no such event' };
      const why = whyRowNotReplayable(row) ?? (await whyTargetNot(db, id, target));
      return {
        id,
        status: row.status,
        wouldReplay: why === undefined,
        why: why ?? 'dead or ignored',
      };
    }),
  );
}

async function replayRows(
  out: Output,
  deps: ReplayDeps,
  ids: readonly number[],
  target: ReplayTarget,
) {
  const results = await actOnRows(out, ids, {
    label: 'replaying',
    act: (id) => replayEvent(deps, id, target),
    succeeded: (outcome) => outcome.kind === 'replayed',
    describe: describeOutcome,
  });
  return results.every((result) => result.kind === 'replayed') ? 0 : 1;
}

async function replayFilter(
  out: Output,
  deps: ReplayDeps,
  filter: EventFilter,
  target: ReplayTarget,
) {
  const { replayable } = await countReplayable(deps.db, filter, target.subscriber);
  const bar = out.progress(replayable, 'replaying');
  const result = await replayMatching(deps, filter, {
    ...target,
    onBatch: (n) => bar.increment(n),
  });
  bar.stop();
  out.result(result, () => `replayed ${result.replayed} event(s)`);
  return 0;
}

function targetFrom({ subscriber }: ReplayFlags): ReplayTarget {
  if (subscriber === undefined) return {};
  if (!isSubscriberName(subscriber)) {
    throw new UsageError(`--subscriber: a subscriber's name is ${SUBSCRIBER_NAME_RULE}`);
  }
  return { subscriber };
}

/**
 * Gives dead and ignored events a fresh start: by row IDs, or every one a filter matches.
 * `--subscriber` runs only that in-process subscriber again, on the events it failed on.
 * `--dry-run` says what would be replayed and changes nothing.
 */
export async function replay(env: CliEnv, out: Output, ids: readonly number[], flags: ReplayFlags) {
  const filter = filterFrom(flags);
  const target = targetFrom(flags);
  const filtered = Object.keys(filter).length > 0;
  if (ids.length > 0 === filtered) {
    throw new UsageError(
      'name row IDs, or filter (e.g. --status dead --source stripe), not both or neither',
    );
  }
  if (flags.dryRun) {
    if (ids.length > 0) {
      const rows = await withDb(env, (db) => dryRunRows(db, ids, target));
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
    const counts = await withDb(env, (db) => countReplayable(db, filter, target.subscriber));
    const which =
      target.subscriber === undefined
        ? 'dead or ignored, payload kept'
        : `subscriber "${target.subscriber}" failed on them`;
    out.result(
      counts,
      () => `${counts.matching} event(s) match; ${counts.replayable} would be replayed (${which})`,
    );
    return 0;
  }
  const retryPolicies = readSourcesFile(env.SOURCES_FILE).retryPolicies();
  return withQueue(env, (db, queue, deliveryQueue) => {
    const deps = { db, queue, deliveryQueue, retryPolicies, actor: 'cli' };
    return ids.length > 0
      ? replayRows(out, deps, ids, target)
      : replayFilter(out, deps, filter, target);
  });
}
