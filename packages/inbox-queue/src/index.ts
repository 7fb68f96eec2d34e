export { type EnableOutcome, enableAndResume } from './enable-destination.ts';
export {
  type QueueDeps,
  type QueueRowsOptions,
  queueDeliveries,
  queueRows,
  type StoredRow,
} from './queue-rows.ts';
export { type RedeliverOutcome, redeliver } from './redeliver.ts';
export {
  type FilterReplayResult,
  type ReplayDeps,
  type ReplayOneOutcome,
  type ReplayTarget,
  replayEvent,
  replayMatching,
} from './replay.ts';
export { type RetryNowOutcome, retryNow } from './retry-now.ts';
export { type SkipDeps, skipAndWake } from './skip.ts';
export { type WakeDeps, wakeNextInKeys } from './wake-next.ts';
