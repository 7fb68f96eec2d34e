export {
  type DeliveryAttempt,
  type DeliveryAttemptToRecord,
  type DeliveryDetail,
  type DeliveryKey,
  type DeliveryResult,
  type DeliveryToQueue,
  type DeliveryWork,
  deferDelivery,
  deliveryWork,
  eventDeliveryDetails,
  markAllDeliveriesUnqueued,
  markDeliveriesQueued,
  recordDelivery,
  unqueuedDeliveries,
} from './deliveries.ts';
export {
  disabledDeliveries,
  type EnabledDestination,
  enableDestination,
  listDisabledDestinations,
  resetDeliveriesOfReplayed,
  resetDeliveryForReplay,
  undeliveredOf,
} from './delivery-resets.ts';
export {
  type EventFilter,
  type FilterInput,
  type JsonObject,
  type Parsed,
  parseEventFilter,
  parseInstant,
  parsePayloadMatch,
  payloadContains,
} from './filter.ts';
export { type InboxGauges, readInboxGauges, WATCHED_STATUSES } from './gauges.ts';
export {
  type Actor,
  eventHistory,
  HISTORY_LABELS,
  type HistoryEntry,
  recordAction,
} from './history.ts';
export {
  type BlockedKey,
  blockedKeys,
  checkOrder,
  headOfKey,
  keyBlockedBy,
  nextInKeys,
  type OrderCheck,
  type OrderingKey,
} from './ordering.ts';
export { MAX_PAYLOAD_READ_BYTES, PayloadTooLargeError } from './payload-read.ts';
export { isRefusedForContent, isTransactionConflict } from './postgres-errors.ts';
export {
  type AttemptRecord,
  beginClaims,
  type Claim,
  type ClaimedEvent,
  type ClaimedOrdering,
  describeError,
  type HandledRow,
  markDeadIfUnfinished,
  markHandledAndCommit,
  recordFailure,
  rollback,
  rollbackToSavepoint,
  savepoint,
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
export {
  countReplayable,
  type ReplayableCount,
  replayableAfter,
  resetForReplay,
  whyNotReplayable,
  whyRowNotReplayable,
} from './replay.ts';
export {
  countPrunable,
  type RetentionCounts,
  type RetentionPolicy,
  type RetentionRun,
  type RetentionStep,
  runRetention,
} from './retention.ts';
export {
  countEvents,
  type EventDetail,
  type EventSummary,
  getEvent,
  MAX_PAGE_SIZE,
  type PageRequest,
  type SearchOutcome,
  searchEvents,
} from './search.ts';
export { type SkipOutcome, skipEvent } from './skip.ts';
export {
  type InboxStats,
  inboxStats,
  type OldestUnfinished,
  type SourceStatusCount,
} from './stats.ts';
export {
  canMove,
  type EventStatus,
  FINISHED,
  HOLDS_ITS_KEY,
  isFinished,
  isUnfinished,
  REPLAYABLE,
  SKIPPABLE,
  statusesMovingTo,
  TRANSITIONS,
  UNFINISHED,
} from './status.ts';
export {
  type BodyConflict,
  type DuplicateKey,
  type EventToStore,
  inboxAnswers,
  type StoreOutcome,
  storeEvent,
  storeEvents,
} from './store.ts';
export {
  DEFAULT_SUBSCRIBER,
  eventSubscriberDetails,
  isSubscriberName,
  processedSubscribersStatement,
  SUBSCRIBER_NAME,
  SUBSCRIBER_NAME_RULE,
  SUBSCRIBER_RUNS,
  type SubscriberDetail,
  type SubscriberFailure,
  type SubscriberKey,
  type SubscriberLedger,
  type SubscriberStatus,
  subscriberStatus,
  whySubscriberNotReplayable,
} from './subscribers.ts';
