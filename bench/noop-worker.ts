// The worker bench's yardstick: a BullMQ worker whose processor does nothing, on the same queue
// and Redis, so the ratio shows what our exactly-once step costs on top of BullMQ itself.
import { parseEnv } from '@webhook-inbox/config';
import { createRedis, QUEUE_NAME } from '@webhook-inbox/queue';
import { Worker } from 'bullmq';
import { z } from 'zod';

const env = parseEnv(
  {
    REDIS_URL: z.url(),
    QUEUE_PREFIX: z.string().min(1),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1),
  },
  process.env,
);
const connection = createRedis(env.REDIS_URL, 'worker');
const worker = new Worker(QUEUE_NAME, async () => {}, {
  connection,
  prefix: env.QUEUE_PREFIX,
  concurrency: env.WORKER_CONCURRENCY,
});
worker.on('error', (error) => console.error(error.message));
await worker.waitUntilReady();
console.log('{"msg":"worker ready"}');
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
