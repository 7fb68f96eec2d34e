import type { DbClient } from '@webhook-inbox/db';
import { storeEvent } from '@webhook-inbox/inbox';
import { enqueueEventsPromptly, type WebhookQueue } from '@webhook-inbox/queue';
import type { VerifiedEvent } from '@webhook-inbox/verify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Source } from './sources.ts';

export type IngestOutcome =
  | { readonly kind: 'accepted'; readonly rowId: number; readonly duplicate: boolean }
  /** Postgres refused the payload itself (e.g. a \u0000 escape jsonb cannot hold). */
  | { readonly kind: 'unstorable'; readonly detail: string }
  /** Postgres unreachable or failing: nothing was committed, so nothing may be acked. */
  | { readonly kind: 'unavailable' };

export interface IngestDeps {
  readonly db: DbClient;
  readonly queue: WebhookQueue;
  /** The queue's connection, to tell at once whether Redis is there at all. */
  readonly redis: Redis;
  readonly log: Logger;
}

/** How long a request may wait on Redis before it is acked without its job. */
const ENQUEUE_TIMEOUT_MS = 1_000;

/**
 * Commits the event, then queues it. The row is the promise to the provider: once it is
 * committed the event will be processed, so a queue failure is logged, not surfaced; the
 * relay in the workers queues whatever the ingress could not.
 */
export async function ingest(
  deps: IngestDeps,
  source: Source,
  event: VerifiedEvent,
  headers: Record<string, string>,
): Promise<IngestOutcome> {
  let stored: Awaited<ReturnType<typeof storeEvent>>;
  try {
    stored = await storeEvent(deps.db, {
      source: source.name,
      eventId: event.eventId,
      eventType: event.eventType,
      body: event.body,
      headers: JSON.stringify(headers),
      signedContentSha256: event.signedContentSha256,
    });
  } catch (error) {
    deps.log.error({ err: error, source: source.name }, 'could not store event');
    return { kind: 'unavailable' };
  }
  if (stored.kind === 'unstorable') return stored;

  const { rowId, inserted, needsJob } = stored;
  if (needsJob) {
    try {
      const job = { rowId, source: source.name, retry: source.retry };
      await enqueueEventsPromptly(deps.queue, deps.redis, [job], ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      deps.log.warn(
        { err: (error as Error).message, source: source.name, rowId },
        'event stored but not queued; the relay will queue it',
      );
    }
  }
  return { kind: 'accepted', rowId, duplicate: !inserted };
}
