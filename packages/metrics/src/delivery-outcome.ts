/**
 * Every way one run of a delivery job can end, keyed by the `outcome` label of
 * `webhook_deliveries_total`, so an alert rule can name only these.
 */
export const DELIVERY_OUTCOMES = {
  delivered: { meaning: 'the destination answered 2xx' },
  failed: { meaning: 'the attempt failed; another follows after the backoff' },
  dead: {
    meaning:
      'the last attempt failed, or it cannot be sent at all (its destination left the sources file, retention pruned the event)',
  },
  gone: { meaning: 'the destination answered 410 Gone and is disabled now' },
  disabled: { meaning: 'not sent: the destination is disabled (a 410 earlier)' },
  deferred: {
    meaning: 'not sent yet: its breaker is open or its rate limit reached; no attempt is spent',
  },
} as const satisfies Record<string, { meaning: string }>;

export type DeliveryRunOutcome = keyof typeof DELIVERY_OUTCOMES;

/** Why a request to a destination failed: the `reason` label of `webhook_delivery_failures_total`. */
export const DELIVERY_FAILURE_REASONS = [
  'status',
  'redirect',
  'timeout',
  'network',
  'gone',
] as const;

export type DeliveryFailureReason = (typeof DELIVERY_FAILURE_REASONS)[number];

/** A breaker's state as `webhook_delivery_breaker_state` shows it: the number an alert compares. */
export const BREAKER_STATE_VALUES = { closed: 0, 'half-open': 1, open: 2 } as const;

export type BreakerStateName = keyof typeof BREAKER_STATE_VALUES;
