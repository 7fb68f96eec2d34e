export { readWorkerEnv } from './env.ts';
export { createProcessor, HandlerTimeoutError, type ProcessOutcome } from './process-event.ts';
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
