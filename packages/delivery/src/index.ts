export { type BackoffPolicy, backoffDelayMs } from './backoff.ts';
export type { BreakerPolicy, BreakerState } from './circuit-breaker.ts';
export {
  type BreakerReading,
  createDeliverer,
  DEFAULT_BREAKER,
  type Deliverer,
  type DelivererOptions,
} from './deliverer.ts';
export { deliveryId } from './delivery-id.ts';
export {
  DEFAULT_TIMEOUT_MS,
  type Destination,
  DestinationConfigError,
  destinationSchema,
  type Envelope,
  parseDestination,
} from './destination.ts';
export { type HostAllowList, parseHostAllowList } from './host-allow-list.ts';
export { SNIPPET_BYTES } from './http-attempt.ts';
export type { AttemptRecord, DeliveryOutcome, RetryReason } from './outcome.ts';
export type { DeliveryMessage } from './outgoing-request.ts';
export { parseRetryAfter } from './retry-after.ts';
export {
  DEFAULT_DELIVERY_RETRY,
  type DeliveryRetry,
  type DestinationRoute,
  destinationsFor,
  matchesType,
  parseDestinationRoute,
} from './route.ts';
