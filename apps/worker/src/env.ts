import { commonEnv, parseEnv } from '@webhook-inbox/config';
import { z } from 'zod';

const workerEnv = {
  ...commonEnv,
  /** Jobs one process runs at once; each holds a Postgres connection while it runs. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(10),
};

export type WorkerEnv = z.infer<z.ZodObject<typeof workerEnv>>;

export function readWorkerEnv(env = process.env): WorkerEnv {
  return parseEnv(workerEnv, env);
}
