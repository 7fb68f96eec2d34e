import type { Database } from '@webhook-inbox/db';
import {
  type AttemptRecord,
  backoffDelayMs,
  type Deliverer,
  type DeliveryOutcome,
  type Destination,
  deliveryId,
} from '@webhook-inbox/delivery';
import {
  type DeliveryAttemptToRecord,
  type DeliveryKey,
  type DeliveryResult,
  type DeliveryWork,
  deferDelivery,
  deliveryWork,
  recordDelivery,
} from '@webhook-inbox/inbox';
import type { DeliveryReport, DeliveryRunOutcome } from '@webhook-inbox/metrics';
import { DELIVERY_QUEUE_NAME, type DeliveryJobData, failedForGood } from '@webhook-inbox/queue';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DestinationSlots } from './destination-slots.ts';
import { bullWorkerOptions, type StallSettings } from './worker.ts';

export interface DeliveryRunnerDeps {
  readonly db: Database;
  readonly log: Logger;
  readonly connection: Redis;
  readonly prefix: string;
  readonly concurrency: number;
  /** Of those, how many one destination may hold at once: a slow one never takes them all. */
  readonly perDestination: number;
  /** As the handlers' worker: a delivery whose worker died is sent again this soon. */
  readonly stall: StallSettings;
  /** Each source's destinations, validated at start-up (secrets resolved, hosts allowed). */
  readonly destinations: ReadonlyMap<string, readonly Destination[]>;
  readonly deliverer: Deliverer;
  /** Told of every run that recorded something or was deferred: the delivery metrics. */
  readonly onDelivery?: (report: DeliveryReport) => void;
}

type RunOutcome = 'delivered' | 'failed' | 'dead' | 'disabled' | 'skipped';

/** A delivery whose destination has every slot it may hold waits about this long, spread out. */
const BUSY_DEFER_MS = 1_000;

const FINISHED = new Set(['delivered', 'dead', 'disabled']);

/** The metrics' word for the ledger status an attempt led to. */
const ATTEMPT_OUTCOME = {
  delivered: 'delivered',
  failed: 'failed',
  dead: 'dead',
  disabled: 'gone',
} as const satisfies Record<DeliveryResult['status'], DeliveryRunOutcome>;

/** The request's part of a report: its latency, and why it failed unless it was a 2xx. */
function requestReport(outcome: Exclude<DeliveryOutcome, { attempt: undefined }>) {
  const seconds = outcome.attempt.latencyMs / 1000;
  switch (outcome.kind) {
    case 'delivered':
      return { seconds };
    case 'gone':
      return { seconds, failure: 'gone' as const };
    case 'retry':
      return { seconds, failure: outcome.reason };
    default: {
      const unknown: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unknown)}`);
    }
  }
}

const toRecord = (attempt: AttemptRecord): DeliveryAttemptToRecord => ({
  at: attempt.startedAt,
  statusCode: attempt.status,
  latencyMs: attempt.latencyMs,
  responseSnippet: attempt.responseSnippet,
  error: attempt.error,
});

/** Why nothing is sent for this row, as its ledger's last error; undefined: send it. */
function refusal(work: DeliveryWork, destination: Destination | undefined, name: string) {
  if (!destination) {
    return `destination "${name}" is no longer in the sources file; add it back, then send this again (webhook-inbox destinations redeliver <row id> ${name})`;
  }
  if (work.destinationDisabled) {
    return `destination "${name}" answered 410 Gone; enabling it (webhook-inbox destinations enable ${work.source} ${name}) sends this delivery again`;
  }
  if (work.payload === null) return 'the event was pruned by retention before it was delivered';
  return undefined;
}

/** What the ledger records for an outcome that made a request, and the wait before the next. */
function resultOf(
  outcome: Exclude<DeliveryOutcome, { attempt: undefined }>,
  destination: Destination,
  source: string,
  attemptsMade: number,
): { result: DeliveryResult; retryInMs?: number } {
  const attempt = toRecord(outcome.attempt);
  switch (outcome.kind) {
    case 'delivered':
      return { result: { status: 'delivered', attempt } };
    case 'gone':
      return {
        result: { status: 'disabled', attempt, disable: { source, reason: 'answered 410 Gone' } },
      };
    case 'retry': {
      if (attemptsMade >= destination.retry.attempts)
        return { result: { status: 'dead', attempt } };
      const retryInMs = backoffDelayMs(destination.retry, attemptsMade, outcome.retryAfterMs);
      const nextAttemptAt = new Date(Date.now() + retryInMs);
      return { result: { status: 'failed', attempt, nextAttemptAt }, retryInMs };
    }
    default: {
      const unknown: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Delivers each (event, destination) job: loads its ledger row and event, sends it, and records
 * the attempt with the status it led to in one transaction. A retry is the job moved to the
 * delayed set until its backoff (or `Retry-After`) is over, so a failing destination never holds
 * a slot while it waits; the ledger counts the attempts, which survive a lost Redis.
 */
export function startDeliveryRunner(deps: DeliveryRunnerDeps) {
  const { db, log, deliverer } = deps;
  const report = deps.onDelivery ?? (() => {});

  async function later(
    job: Job<DeliveryJobData>,
    token: string | undefined,
    inMs: number,
  ): Promise<never> {
    await job.moveToDelayed(Date.now() + inMs, token);
    throw new DelayedError();
  }

  async function run(
    job: Job<DeliveryJobData>,
    token: string | undefined,
    again = false,
  ): Promise<RunOutcome> {
    const { rowId, destination: name, source } = job.data;
    const key: DeliveryKey = { rowId, destination: name };
    const work = await deliveryWork(db, key);
    if (!work || FINISHED.has(work.status)) return 'skipped';
    const destination = deps.destinations.get(source)?.find((entry) => entry.name === name);
    const refused = refusal(work, destination, name);
    if (refused !== undefined || !destination) {
      const status = work.destinationDisabled ? 'disabled' : 'dead';
      const recorded = await recordDelivery(db, key, { status, error: refused });
      // Not recorded: an operator enabled the destination since the read (or it was delivered).
      if (!recorded && status === 'disabled' && !again) return run(job, token, true);
      log.warn({ source, destination: name, rowId, status }, refused);
      report({ source, destination: name, outcome: status });
      return status;
    }
    const outcome = await deliverer.deliver(destination, {
      webhookId: deliveryId(source, work.eventId, name),
      source,
      eventId: work.eventId,
      type: work.eventType,
      receivedAt: work.receivedAt,
      payload: work.payload,
      headers: work.headers ?? {},
    });
    // The breaker or the rate limit said not now: no request, no attempt spent.
    if (outcome.attempt === undefined) {
      await deferDelivery(db, key, new Date(Date.now() + outcome.retryAfterMs));
      report({ source, destination: name, outcome: 'deferred' });
      return later(job, token, outcome.retryAfterMs);
    }
    const { result, retryInMs } = resultOf(outcome, destination, source, work.attempts + 1);
    await recordDelivery(db, key, result);
    report({
      source,
      destination: name,
      outcome: ATTEMPT_OUTCOME[result.status],
      request: requestReport(outcome),
    });
    const fields = { source, destination: name, rowId, status: result.status };
    if (result.status === 'disabled') log.error(fields, 'destination answered 410 Gone: disabled');
    else if (result.status === 'dead') log.warn(fields, 'delivery failed its last attempt');
    if (retryInMs !== undefined) return later(job, token, retryInMs);
    return result.status;
  }

  const slots = new DestinationSlots(deps.perDestination);
  async function runInSlot(job: Job<DeliveryJobData>, token?: string): Promise<RunOutcome> {
    const { source, destination } = job.data;
    const slot = `${source}/${destination}`;
    if (!slots.take(slot)) {
      report({ source, destination, outcome: 'deferred' });
      return later(job, token, BUSY_DEFER_MS * (1 + Math.random() / 2));
    }
    try {
      return await run(job, token);
    } finally {
      slots.release(slot);
    }
  }

  const worker: Worker<DeliveryJobData, RunOutcome> = new Worker(
    DELIVERY_QUEUE_NAME,
    runInSlot,
    bullWorkerOptions(deps),
  );
  worker.on('error', (error) => log.error({ err: error }, 'delivery worker error'));
  // The runner itself failed (Postgres away) on every try BullMQ allows: leave the row a reason.
  worker.on('failed', (job, error) => {
    if (!job || !failedForGood(job, error)) return;
    const key = { rowId: job.data.rowId, destination: job.data.destination };
    recordDelivery(db, key, { status: 'dead', error: error.message }).catch((recordError) =>
      log.error({ err: recordError, ...key }, 'could not mark delivery dead'),
    );
  });
  return worker;
}
