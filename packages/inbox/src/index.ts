export {
  beginClaim,
  type Claim,
  type ClaimedEvent,
  describeError,
  markDeadIfUnfinished,
  markHandledAndCommit,
  recordFailure,
  rollback,
} from './processing.ts';
export {
  markAllUnqueued,
  markQueued,
  markUnqueued,
  queuedUnfinishedRows,
  type UnfinishedRow,
  unqueuedRows,
  withRelayLock,
} from './relay-scan.ts';
export { type ReplayDeps, type ReplaySelector, replayEvents } from './replay.ts';
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
