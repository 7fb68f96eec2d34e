export { type InboxGauges, readInboxGauges, WATCHED_STATUSES } from './gauges.ts';
export {
  type Claim,
  claimEvent,
  describeError,
  markDeadIfUnfinished,
  markHandled,
  recordFailure,
} from './processing.ts';
export { relayUnfinished, type UnfinishedRow, type UnfinishedScan } from './relay-scan.ts';
export { type ReplayDeps, type ReplaySelector, replayEvents } from './replay.ts';
export {
  countPrunable,
  type RetentionCounts,
  type RetentionPolicy,
  type RetentionRun,
  type RetentionStep,
  runRetention,
} from './retention.ts';
export {
  canMove,
  type EventStatus,
  FINISHED,
  isFinished,
  isUnfinished,
  REPLAYABLE,
  statusesMovingTo,
  TRANSITIONS,
  UNFINISHED,
} from './status.ts';
export { type EventToStore, type StoreOutcome, storeEvent } from './store.ts';
