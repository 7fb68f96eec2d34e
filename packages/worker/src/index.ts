// The public entry: what a program that runs handlers imports. Everything else is internal.
export {
  createWorker,
  type RunningWorker,
  type WorkerOptions,
  type WorkerSettings,
} from './create-worker.ts';
export { readWorkerEnv, type WorkerEnv } from './env.ts';
export {
  ANY_TYPE,
  DEFAULT_SUBSCRIBER,
  defineHandlers,
  type EventOrdering,
  type Handler,
  type HandlerContext,
  type HandlerRegistry,
  type PayloadSchema,
  type Subscriber,
  type SubscriberOptions,
  type WebhookEvent,
} from './registry.ts';
