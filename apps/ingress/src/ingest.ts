import { hash } from 'node:crypto';
import type { RetryPolicies } from '@webhook-inbox/config';
import type { DbClient } from '@webhook-inbox/db';
import { destinationsFor } from '@webhook-inbox/delivery';
import {
  type BodyConflict,
  type DuplicateKey,
  type EventToStore,
  type StoreOutcome,
  storeEvents,
} from '@webhook-inbox/inbox';
import { queueRows, type StoredRow } from '@webhook-inbox/inbox-queue';
import type { DeliveryQueue, WebhookQueue } from '@webhook-inbox/queue';
import { TIMED_OUT, within } from '@webhook-inbox/time-limit';
import type { VerifiedEvent } from '@webhook-inbox/verify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { GroupCommit, type GroupCommitStats } from './group-commit.ts';
import type { Source } from './sources.ts';

export type IngestOutcome =
  | { readonly kind: 'accepted'; readonly rowId: number; readonly duplicate: false }
  | {
      readonly kind: 'accepted';
      /** Null when only the key of a deleted event is left (see retained_event_keys). */
      readonly rowId: number | null;
      readonly duplicate: true;
      readonly duplicateKey: DuplicateKey;
      readonly conflict?: BodyConflict;
    }
  /** Postgres refused the payload itself (e.g. a \u0000 escape jsonb cannot hold). */
  | { readonly kind: 'unstorable'; readonly detail: string }
  /** Postgres unreachable, failing or too slow: nothing is known committed, so nothing is acked. */
  | { readonly kind: 'unavailable' };

export interface IngestDeps {
  readonly db: DbClient;
  readonly queue: WebhookQueue;
  /** Where the deliveries to the sources' HTTP destinations are queued. */
  readonly deliveryQueue?: DeliveryQueue;
  /** The queue's connection, to tell at once whether Redis is there at all. */
  readonly redis: Redis;
  readonly retryPolicies: RetryPolicies;
  readonly log: Logger;
}

export interface IngestSettings {
  /** From a request's arrival to its answer when Postgres hangs: then 503. */
  readonly deadlineMs: number;
  readonly maxBatch?: number;
  readonly maxInFlight?: number;
}

// Measured with `npm run bench` at 64 connections: two batches under way (one in Postgres while
// the other is in Redis) beat one, and batches past 64 did not pay.
const MAX_BATCH = 64;
const MAX_IN_FLIGHT = 2;

/** A verified delivery as the route hands it over. */
export interface Delivery {
  readonly source: Source;
  readonly event: VerifiedEvent;
  readonly rawBody: Buffer;
  /** Request headers less every credential. */
  readonly headers: Record<string, string>;
}

interface Pending {
  readonly source: Source;
  readonly event: EventToStore;
  readonly arrivedAt: number;
}

/** How long a batch may wait on Redis before it is acked without its jobs. */
const ENQUEUE_TIMEOUT_MS = 1_000;

/**
 * Commits deliveries in batches (group commit: one INSERT and one addBulk for every request that
 * arrived while the previous batch was under way), then queues them, then answers each. The row is
 * the promise to the provider: once committed the event will be processed, so a queue failure is
 * logged, not surfaced; the relay in the workers queues whatever the ingress could not.
 */
export class Ingest {
  readonly #batches: GroupCommit<Pending, IngestOutcome>;

  constructor(
    private readonly deps: IngestDeps,
    private readonly settings: IngestSettings,
  ) {
    this.#batches = new GroupCommit((batch) => this.#commit(batch), {
      maxBatch: settings.maxBatch ?? MAX_BATCH,
      maxInFlight: settings.maxInFlight ?? MAX_IN_FLIGHT,
    });
  }

  get stats(): Readonly<GroupCommitStats> {
    return this.#batches.stats;
  }

  ingest({ source, event, rawBody, headers }: Delivery): Promise<IngestOutcome> {
    return this.#batches.submit({
      source,
      arrivedAt: performance.now(),
      event: {
        source: source.name,
        eventId: event.eventId,
        eventType: event.eventType,
        body: event.body,
        headers: JSON.stringify(headers),
        bodySha256: event.comparableSha256 ?? hash('sha256', rawBody, 'hex'),
        signedContentSha256: event.signedContentSha256,
        destinations: destinationsFor(source.routes, event.eventType),
      },
    });
  }

  async #commit(batch: Pending[]): Promise<IngestOutcome[]> {
    const stored = await this.#store(batch);
    if (!stored) return batch.map(() => ({ kind: 'unavailable' }));
    await this.#queue(batch, stored);
    return stored.map((outcome, i) => this.#answer(batch[i] as Pending, outcome));
  }

  /** The batch's outcomes, or undefined when Postgres failed or missed the oldest's deadline. */
  async #store(batch: Pending[]): Promise<StoreOutcome[] | undefined> {
    const { log, db } = this.deps;
    // The oldest request is first: its deadline is the batch's.
    const remainingMs =
      (batch[0] as Pending).arrivedAt + this.settings.deadlineMs - performance.now();
    try {
      const stored = await within(
        storeEvents(
          db,
          batch.map((pending) => pending.event),
        ),
        remainingMs,
      );
      if (stored !== TIMED_OUT) return stored;
      log.error(
        { batch: batch.length, deadlineMs: this.settings.deadlineMs },
        'postgres did not store the events within the deadline',
      );
    } catch (error) {
      log.error({ err: error, batch: batch.length }, 'could not store events');
    }
    return undefined;
  }

  async #queue(batch: Pending[], stored: StoreOutcome[]) {
    const rows = new Map<number, StoredRow>();
    stored.forEach((outcome, i) => {
      if (outcome.kind === 'unstorable' || outcome.kind === 'retained') return;
      if (outcome.kind === 'duplicate' && !outcome.needsJob) return;
      const { source, event } = batch[i] as Pending;
      // A duplicate's ledger rows were stored with its first delivery: re-adding their jobs is a no-op.
      const { destinations } = event;
      rows.set(outcome.rowId, { rowId: outcome.rowId, source: source.name, destinations });
    });
    if (rows.size === 0) return;
    const { db, queue, deliveryQueue, redis, retryPolicies, log } = this.deps;
    try {
      await queueRows({ db: db.db, queue, deliveryQueue, retryPolicies }, [...rows.values()], {
        promptly: { redis, timeoutMs: ENQUEUE_TIMEOUT_MS },
        // Not awaited: the answers need not wait, and if this fails the relay adds a job that exists.
        onMarkFailed: (error) =>
          log.warn(
            { err: error.message },
            'events queued but not marked so; the relay will re-add them',
          ),
      });
    } catch (error) {
      log.warn(
        { err: (error as Error).message, rowIds: [...rows.keys()] },
        'events stored but not queued; the relay will queue them',
      );
    }
  }

  #answer({ event }: Pending, outcome: StoreOutcome): IngestOutcome {
    switch (outcome.kind) {
      case 'inserted':
        return { kind: 'accepted', rowId: outcome.rowId, duplicate: false };
      case 'duplicate': {
        const { rowId, key, conflict } = outcome;
        if (conflict) {
          this.deps.log.warn(
            { source: event.source, eventId: event.eventId, duplicateKey: key, ...conflict },
            'duplicate event ID with a different body: the stored one is kept',
          );
        }
        return {
          kind: 'accepted',
          rowId,
          duplicate: true,
          duplicateKey: key,
          ...(conflict && { conflict }),
        };
      }
      case 'retained':
        return { kind: 'accepted', rowId: null, duplicate: true, duplicateKey: outcome.key };
      case 'unstorable':
        this.deps.log.warn(
          { source: event.source, eventId: event.eventId, detail: outcome.detail },
          'postgres refused the event for its content',
        );
        return outcome;
      default: {
        const unreachable: never = outcome;
        throw new Error(`unhandled store outcome ${JSON.stringify(unreachable)}`);
      }
    }
  }
}
