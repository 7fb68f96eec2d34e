import {
  type Database,
  postgresAnswers,
  type Transaction,
  type WebhookEventRow,
} from '@webhook-inbox/db';
import { claimEvent, markHandled, recordFailure } from '@webhook-inbox/inbox';
import type { JobReport } from '@webhook-inbox/metrics';
import type { WebhookJobData } from '@webhook-inbox/queue';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { HandlerRegistry, WebhookEvent } from './registry.ts';

export type ProcessOutcome = 'processed' | 'ignored' | 'already_done' | 'missing';

export interface ProcessorDeps {
  readonly db: Database;
  /** The same pool as `db`, to ask whether Postgres answers at all. */
  readonly pool: pg.Pool;
  readonly handlers: HandlerRegistry;
  readonly log: Logger;
  /** How long a job waits when it failed because Postgres was unreachable. */
  readonly outageRetryMs: number;
  /** Told when Postgres is unreachable, so the worker can stop taking jobs. */
  readonly onOutage: () => void;
  /** Told once per attempt whose outcome is known (the metrics); not for postponed jobs. */
  readonly onJobEnd?: (report: JobReport) => void;
}

function toEvent(row: WebhookEventRow): WebhookEvent {
  return {
    id: row.id,
    source: row.source,
    eventId: row.eventId,
    type: row.eventType,
    payload: row.payload,
    // Only finished events are pruned, and those never reach a handler.
    headers: row.headers ?? {},
    receivedAt: row.receivedAt,
    attempt: row.attempts + 1,
  };
}

/**
 * The exactly-once step: the row lock serialises every job of one event, a finished row ends
 * the job at once, and the handler's writes commit in the same transaction as the mark.
 */
async function processInTransaction(
  tx: Transaction,
  rowId: number,
  { handlers, log }: ProcessorDeps,
): Promise<{ outcome: ProcessOutcome; row?: WebhookEventRow }> {
  const claim = await claimEvent(tx, rowId);
  if (claim.kind === 'missing') return { outcome: 'missing' };
  const { row } = claim;
  if (claim.kind === 'finished') return { outcome: 'already_done', row };

  const handler = handlers.find(row.source, row.eventType);
  if (handler) {
    await handler(toEvent(row), { tx, log: log.child({ eventId: row.eventId }) });
  }
  const status = handler ? 'processed' : 'ignored';
  await markHandled(tx, rowId, status);
  return { outcome: status, row };
}

export function createProcessor(deps: ProcessorDeps) {
  return async function processEvent(
    job: Job<WebhookJobData>,
    token?: string,
  ): Promise<ProcessOutcome> {
    const { rowId, source } = job.data;
    const log = deps.log.child({ jobId: job.id, rowId, source });
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    try {
      const { outcome, row } = await deps.db.transaction((tx) =>
        processInTransaction(tx, rowId, { ...deps, log }),
      );
      const fields = {
        eventId: row?.eventId,
        eventType: row?.eventType,
        outcome,
        durationMs: elapsed(),
      };
      deps.onJobEnd?.({ source, type: row?.eventType, outcome, seconds: fields.durationMs / 1000 });
      if (outcome === 'missing') log.warn(fields, 'job for a row that no longer exists');
      else log.info(fields, 'job');
      return outcome;
    } catch (error) {
      if (!(await postgresAnswers(deps.pool))) {
        // Not the event's fault: postpone without spending an attempt.
        deps.onOutage();
        await job.moveToDelayed(Date.now() + deps.outageRetryMs, token);
        log.warn({ err: (error as Error).message, outcome: 'postponed' }, 'job');
        throw new DelayedError();
      }
      const final =
        error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await recordFailure(deps.db, rowId, error, final).catch((recordError: unknown) =>
        log.error({ err: recordError }, 'could not record the failed attempt'),
      );
      const outcome = final ? 'dead' : 'failed';
      deps.onJobEnd?.({ source, type: undefined, outcome, seconds: elapsed() / 1000 });
      log.warn({ err: error, outcome, durationMs: elapsed() }, 'job');
      throw error;
    }
  };
}
