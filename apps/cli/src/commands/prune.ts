import { loadTimestampedSources } from '@webhook-inbox/config';
import {
  countPrunable,
  type RetentionCounts,
  type RetentionPolicy,
  runRetention,
} from '@webhook-inbox/inbox';
import { hasSignedTimestamp } from '@webhook-inbox/verify';
import type { CliEnv } from '../env.ts';
import { withDb } from '../inbox.ts';
import type { Output } from '../output.ts';

/** Runs retention once, now (as the workers' schedule does), or says what it would do. */
export async function prune(env: CliEnv, out: Output, options: { dryRun: boolean }) {
  const policy: RetentionPolicy = {
    payloadDays: env.RETENTION_PAYLOAD_DAYS,
    deleteDays: env.RETENTION_DAYS,
    timestampedSources: loadTimestampedSources(env.SOURCES_FILE, hasSignedTimestamp),
  };
  return withDb(env, async (db) => {
    const due = await countPrunable(db, policy);
    const describe = (counts: RetentionCounts, column: string) =>
      out.table(
        ['step', column, 'rows of processed and ignored events'],
        [
          ['delete', counts.delete, `received over ${policy.deleteDays} days ago: deleted`],
          [
            'tombstone',
            counts.tombstone,
            `received over ${policy.payloadDays} days ago: payload and headers dropped`,
          ],
        ],
      );
    if (options.dryRun) {
      out.result({ dryRun: true, policy, due }, () => describe(due, 'would change'));
      return 0;
    }
    const bar = out.progress(due.delete + due.tombstone, 'pruning');
    const run = await runRetention(db, policy, (_step, rows) => bar.increment(rows));
    bar.stop();
    if (run.kind === 'busy') {
      out.result({ busy: true }, () => 'another process is running retention now; try again later');
      return 1;
    }
    out.result({ dryRun: false, policy, pruned: run.pruned }, () =>
      describe(run.pruned, 'changed'),
    );
    return 0;
  });
}
