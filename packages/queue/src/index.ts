export {
  addJobs,
  addJobsPromptly,
  type BulkQueue,
  EnqueueUnavailableError,
  type Promptly,
} from './add-jobs.ts';
export { createRedis, waitForRedis } from './connection.ts';
export {
  DELIVERY_JOB_NAME,
  type DeliveryJob,
  type DeliveryJobData,
  deliveryJob,
  deliveryJobIdFor,
} from './delivery-job.ts';
export { type AttemptsOf, failedForGood, isFinalAttempt } from './final-attempt.ts';
export { openProducerQueues, type ProducerQueues } from './producer.ts';
export {
  createDeliveryQueue,
  createWebhookQueue,
  DELIVERY_QUEUE_NAME,
  type DeliveryQueue,
  QUEUE_NAME,
  RETENTION_QUEUE_NAME,
  type WebhookQueue,
} from './queues.ts';
export { removeDeliveryJobs, removeJobs } from './remove-jobs.ts';
export {
  jobIdFor,
  type RowToQueue,
  WEBHOOK_JOB_NAME,
  type WebhookJob,
  type WebhookJobData,
  webhookJob,
} from './webhook-job.ts';
