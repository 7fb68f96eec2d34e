export { isRefusedForContent } from './postgres-errors.ts';
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
export {
  type BodyConflict,
  type DuplicateKey,
  type EventToStore,
  inboxAnswers,
  markQueued,
  type StoreOutcome,
  storeEvent,
  storeEvents,
} from './store.ts';
