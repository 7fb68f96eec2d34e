export { type AdminServer, type ReadinessCheck, startAdminServer } from './admin-server.ts';
export { cached } from './cached.ts';
export {
  createDeliveryMetrics,
  type DeliveryMetrics,
  type DeliveryProbes,
  type DeliveryReport,
} from './delivery.ts';
export {
  BREAKER_STATE_VALUES,
  type BreakerStateName,
  DELIVERY_FAILURE_REASONS,
  DELIVERY_OUTCOMES,
  type DeliveryFailureReason,
  type DeliveryRunOutcome,
} from './delivery-outcome.ts';
export { createIngressMetrics, type IngressMetrics, type WebhookRequestReport } from './ingress.ts';
export {
  type CountedJobOutcome,
  JOB_OUTCOMES,
  type JobOutcome,
  type JobOutcomeEntry,
} from './job-outcome.ts';
export { boundedLabelPer, OTHER_VALUE, sourceLabel, UNKNOWN_SOURCE } from './labels.ts';
export { createRegistry } from './registry.ts';
export {
  REQUEST_OUTCOMES,
  type RequestOutcome,
  type RequestOutcomeEntry,
  requestOutcomeOfError,
} from './request-outcome.ts';
export {
  createWorkerMetrics,
  type InboxSnapshot,
  type JobReport,
  type WorkerMetrics,
  type WorkerProbes,
} from './worker.ts';
