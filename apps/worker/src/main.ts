import { configOrExit } from '@webhook-inbox/config';
import { announceReady } from '@webhook-inbox/lifecycle';
import { createWorker, readWorkerEnv } from '@webhook-inbox/worker';
import { loadHandlers } from './handlers-module.ts';

// The worker program: its settings from the environment, its handlers from HANDLERS_MODULE.
// A start that fails (a bad sources file or handlers module, a port taken) is one line.
const { HANDLERS_MODULE, ...settings } = configOrExit('worker', () => readWorkerEnv());
try {
  await createWorker({ handlers: await loadHandlers(HANDLERS_MODULE), ...settings });
  announceReady();
} catch (error) {
  console.error(`worker: ${(error as Error).message}`);
  process.exit(1);
}
