export { readWorkerEnv } from './env.ts';
export type { GroupSettings } from './group-commit.ts';
export { HandlerTimeoutError } from './group-transaction.ts';
export { handlers } from './handlers/index.ts';
export { createProcessor, type ProcessOutcome } from './process-event.ts';
export {
  ANY_TYPE,
  defineHandlers,
  type Handler,
  type HandlerContext,
  HandlerRegistry,
  type PayloadSchema,
  type WebhookEvent,
} from './registry.ts';
export { startRelay } from './relay.ts';
export { createWebhookWorker, type WebhookWorker } from './worker.ts';
