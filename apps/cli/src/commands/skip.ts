import type { SkipOutcome } from '@webhook-inbox/inbox';
import { skipAndWake } from '@webhook-inbox/inbox-queue';
import type { CliEnv } from '../env.ts';
import { withQueue } from '../inbox.ts';
import type { Output } from '../output.ts';
import { actOnRows } from '../row-actions.ts';

function describeOutcome(outcome: SkipOutcome): string {
  switch (outcome.kind) {
    case 'skipped':
      return `skipped: the next event of key ${outcome.key.key} can run`;
    case 'missing':
      return 'no such event';
    case 'not_ordered':
      return 'its source does not order events: nothing waits for it (replay it instead)';
    case 'not_skippable':
      return `it is ${outcome.status}: it holds nothing back`;
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

/**
 * Lets the events after an ordered event run without it (a poison event blocking its key): it
 * is marked ignored, and replay can still run it later.
 */
export async function skip(env: CliEnv, out: Output, ids: readonly number[]) {
  return withQueue(env, async (db, queue) => {
    const results = await actOnRows(out, ids, {
      label: 'skipping',
      act: (id) => skipAndWake({ db, queue, actor: 'cli' }, id),
      succeeded: (outcome) => outcome.kind === 'skipped',
      describe: describeOutcome,
    });
    return results.some((result) => result.kind !== 'skipped') ? 1 : 0;
  });
}
