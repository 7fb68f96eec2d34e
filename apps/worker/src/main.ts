import { ConfigError } from '@webhook-inbox/config';
import { createDb } from '@webhook-inbox/db';
import { createLogger } from '@webhook-inbox/logger';
import { createRedis } from '@webhook-inbox/queue';
import { readWorkerEnv } from './env.ts';
import { handlers } from './handlers/index.ts';
import { createWebhookWorker } from './worker.ts';

function startupEnv() {
  try {
    return readWorkerEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`worker: ${error.message}`);
    process.exit(1);
  }
}

const env = startupEnv();
const log = createLogger({ name: 'worker', level: env.LOG_LEVEL });
const { db, close: closeDb } = createDb(env.DATABASE_URL, { max: env.WORKER_CONCURRENCY + 2 });
const connection = createRedis(env.REDIS_URL, 'worker');
connection.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));

const worker = createWebhookWorker({
  db,
  handlers,
  log,
  connection,
  prefix: env.QUEUE_PREFIX,
  concurrency: env.WORKER_CONCURRENCY,
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  log.info({ signal }, 'shutting down: finishing in-flight jobs');
  await worker.close();
  connection.disconnect();
  await closeDb();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

log.info({ concurrency: env.WORKER_CONCURRENCY }, 'worker ready');
