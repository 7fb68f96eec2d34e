// `npm run replay -- <row id>…`, `-- --source S --event-id E…`, or `-- --dead [--source S]`.
import { parseArgs } from 'node:util';
import { ConfigError, loadRetryPolicies } from '@webhook-inbox/config';
import { createDb } from '@webhook-inbox/db';
import { type ReplaySelector, replayEvents } from '@webhook-inbox/inbox';
import { createRedis, createWebhookQueue, waitForRedis } from '@webhook-inbox/queue';
import { readReplayEnv } from './env.ts';

const USAGE =
  'usage: npm run replay -- <row id>… | --source <name> --event-id <id>… | --dead [--source <name>]';

function selectorFrom(argv: string[]): ReplaySelector {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      source: { type: 'string' },
      'event-id': { type: 'string', multiple: true },
      dead: { type: 'boolean' },
    },
  });
  if (values.dead)
    return values.source ? { allDead: true, source: values.source } : { allDead: true };
  if (values['event-id']) {
    if (!values.source) throw new Error('--event-id needs --source');
    return { source: values.source, eventIds: values['event-id'] };
  }
  const rowIds = positionals.map(Number);
  if (rowIds.length === 0 || !rowIds.every(Number.isSafeInteger)) throw new Error(USAGE);
  return { rowIds };
}

let selector: ReplaySelector;
let env: ReturnType<typeof readReplayEnv>;
let retryPolicies: ReturnType<typeof loadRetryPolicies>;
try {
  selector = selectorFrom(process.argv.slice(2));
  env = readReplayEnv();
  retryPolicies = loadRetryPolicies(env.SOURCES_FILE);
} catch (error) {
  console.error(
    error instanceof ConfigError ? `replay: ${error.message}` : (error as Error).message,
  );
  process.exit(2);
}

const { db, close } = createDb(env.DATABASE_URL, { max: 2 });
const redis = createRedis(env.REDIS_URL, 'worker');
const queue = createWebhookQueue(redis, env.QUEUE_PREFIX);
try {
  if (!(await waitForRedis(redis, 5_000))) throw new Error(`Redis at REDIS_URL is not reachable`);
  const replayed = await replayEvents({ db, queue, retryPolicies }, selector);
  console.log(
    replayed.length === 0
      ? 'nothing to replay (only dead or ignored events can be replayed)'
      : `replayed ${replayed.length} event(s): rows ${replayed.join(', ')}`,
  );
} catch (error) {
  console.error(`replay failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await queue.close();
  redis.disconnect();
  await close();
}
