export {
  addJobs,
  addJobsPromptly,
  EnqueueUnavailableError,
  type Promptly,
} from './add-jobs.ts';
export { createRedis, waitForRedis } from './connection.ts';
export { type AttemptsOf, failedForGood, isFinalAttempt } from './final-attempt.ts';
export {
  createWebhookQueue,
  QUEUE_NAME,
  RETENTION_QUEUE_NAME,
  type WebhookQueue,
} from './queues.ts';
export { removeJobs } from './remove-jobs.ts';
export {
  jobIdFor,
  type RowToQueue,
  WEBHOOK_JOB_NAME,
  type WebhookJob,
  type WebhookJobData,
  webhookJob,
} from './webhook-job.ts';
