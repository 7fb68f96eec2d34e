export { type AdminServer, type ReadinessCheck, startAdminServer } from './admin-server.ts';
export { cached } from './cached.ts';
export { createIngressMetrics, type IngressMetrics, type WebhookRequestReport } from './ingress.ts';
export { boundedLabelPer, OTHER_VALUE, sourceLabel, UNKNOWN_SOURCE } from './labels.ts';
export { createRegistry } from './registry.ts';
export {
  createWorkerMetrics,
  type InboxSnapshot,
  type JobReport,
  type WorkerMetrics,
  type WorkerProbes,
} from './worker.ts';
