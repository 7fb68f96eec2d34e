import { blockedKeys } from '@webhook-inbox/inbox';
import type { CliEnv } from '../env.ts';
import { statusText } from '../format.ts';
import { withDb } from '../inbox.ts';
import type { Output } from '../output.ts';

/** Ordering keys held by an event that failed: what waits behind it, and how to let it go. */
export async function blocked(env: CliEnv, out: Output, limit: number) {
  const keys = await withDb(env, (db) => blockedKeys(db.pool, limit));
  out.result(keys, () =>
    keys.length === 0
      ? 'no ordering key is blocked'
      : [
          out.table(
            ['source', 'key', 'blocked by row', 'event id', 'status', 'waiting', 'last error'],
            keys.map((k) => [
              k.source,
              k.key,
              k.blockingRowId,
              k.blockingEventId,
              statusText(out, k.status),
              k.waiting,
              k.lastError ?? '',
            ]),
          ),
          'let a key go on: webhook-inbox replay <row id> (run it again) or skip <row id> (without it)',
        ].join('\n'),
  );
  return 0;
}
