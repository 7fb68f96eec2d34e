import {
  type Database,
  postgresAnswers,
  type Transaction,
  type WebhookEventRow,
  webhookEvents,
} from '@webhook-inbox/db';
import type { WebhookJobData } from '@webhook-inbox/queue';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
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
}

const MAX_ERROR_LENGTH = 2_000;

function toEvent(row: WebhookEventRow): WebhookEvent {
  return {
    id: row.id,
    source: row.source,
    eventId: row.eventId,
    type: row.eventType,
    payload: row.payload,
    headers: row.headers,
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
  const [row] = await tx
    .select()
    .from(webhookEvents)
    .where(eq(webhookEvents.id, rowId))
    .for('update');
  if (!row) return { outcome: 'missing' };
  if (row.status === 'processed' || row.status === 'ignored')
    return { outcome: 'already_done', row };

  const handler = handlers.find(row.source, row.eventType);
  if (handler) {
    await handler(toEvent(row), { tx, log: log.child({ eventId: row.eventId }) });
  }
  const status = handler ? 'processed' : 'ignored';
  await tx
    .update(webhookEvents)
    .set({
      status,
      attempts: sql`${webhookEvents.attempts} + 1`,
      lastError: null,
      processedAt: sql`now()`,
    })
    .where(eq(webhookEvents.id, rowId));
  return { outcome: status, row };
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.slice(0, MAX_ERROR_LENGTH);
}

/** Runs after the handler's transaction rolled back, so the attempt is recorded on its own. */
async function recordFailure(db: Database, rowId: number, error: unknown, final: boolean) {
  await db
    .update(webhookEvents)
    .set({
      status: final ? 'dead' : 'failed',
      attempts: sql`${webhookEvents.attempts} + 1`,
      lastError: describeError(error),
    })
    .where(
      and(eq(webhookEvents.id, rowId), notInArray(webhookEvents.status, ['processed', 'ignored'])),
    );
}

/**
 * For jobs BullMQ failed for good while the row says otherwise (the job stalled more often than
 * allowed, or the last failure could not be recorded): the row must not stay unfinished.
 */
export async function markDeadIfUnfinished(db: Database, rowId: number, error: Error) {
  await db
    .update(webhookEvents)
    .set({ status: 'dead', lastError: describeError(error) })
    .where(and(eq(webhookEvents.id, rowId), inArray(webhookEvents.status, ['received', 'failed'])));
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
      log.warn({ err: error, outcome: final ? 'dead' : 'failed', durationMs: elapsed() }, 'job');
      throw error;
    }
  };
}
