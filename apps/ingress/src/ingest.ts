import { hash } from 'node:crypto';
import { orderingOf } from '@webhook-inbox/config';
import { destinationsFor } from '@webhook-inbox/delivery';
import {
  type BodyConflict,
  type DuplicateKey,
  type EventToStore,
  type StoreOutcome,
  storeEvents,
} from '@webhook-inbox/inbox';
import { type QueueDeps, queueRows, type StoredRow } from '@webhook-inbox/inbox-queue';
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

export interface IngestDeps extends QueueDeps {
  /** The queue's connection, to tell at once whether Redis is there at all. */
  readonly redis: Redis;
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

/** A verified request carrying several events (maybe none), each to be its own row. */
export interface BatchDelivery extends Omit<Delivery, 'event'> {
  readonly events: readonly VerifiedEvent[];
}

/** A batch is acked only when every one of its events is. */
export type BatchOutcome =
  | { readonly kind: 'accepted'; readonly stored: number; readonly duplicates: number }
  | { readonly kind: 'unstorable'; readonly detail: string }
  | { readonly kind: 'unavailable' };

/** The events of one request, committed together. */
interface Pending {
  readonly source: Source;
  readonly events: readonly EventToStore[];
  readonly arrivedAt: number;
}

/** A request's store outcomes, one per event in order, or none when Postgres failed. */
type Settled = readonly StoreOutcome[] | 'unavailable';

/** How long a batch may wait on Redis before it is acked without its jobs. */
const ENQUEUE_TIMEOUT_MS = 1_000;

/** Where the envelope of a batched event's request is kept beside its headers. */
export const ENVELOPE_HEADER = 'webhook-inbox-envelope';

function toStore(
  source: Source,
  event: VerifiedEvent,
  rawBody: Buffer,
  headers: Record<string, string>,
): EventToStore {
  const stored =
    event.envelope === undefined ? headers : { ...headers, [ENVELOPE_HEADER]: event.envelope };
  // Parsed again, once, only for a source that orders its events or has a destination that
  // filters on the payload: the others pay nothing for it.
  let parsed: { readonly value: unknown } | undefined;
  const payload = () => {
    parsed ??= { value: JSON.parse(event.body) };
    return parsed.value;
  };
  const ordering = source.ordering && orderingOf(source.ordering, payload());
  return {
    source: source.name,
    eventId: event.eventId,
    eventType: event.eventType,
    body: event.body,
    headers: JSON.stringify(stored),
    bodySha256: event.comparableSha256 ?? hash('sha256', rawBody, 'hex'),
    signedContentSha256: event.signedContentSha256,
    destinations: destinationsFor(source.routes, event.eventType, payload),
    orderingKey: ordering?.key,
    orderingValue: ordering?.value,
  };
}

/**
 * Commits deliveries in batches (group commit: one INSERT and one addBulk for every request that
 * arrived while the previous batch was under way), then queues them, then answers each. The row is
 * the promise to the provider: once committed the event will be processed, so a queue failure is
 * logged, not surfaced; the relay in the workers queues whatever the ingress could not. A request
 * carrying several events goes into one batch whole, so it is acked only once all are stored.
 */
export class Ingest {
  readonly #batches: GroupCommit<Pending, Settled>;

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

  async ingest({ source, event, rawBody, headers }: Delivery): Promise<IngestOutcome> {
    const stored = toStore(source, event, rawBody, headers);
    const settled = await this.#submit(source, [stored]);
    if (settled === 'unavailable') return { kind: 'unavailable' };
    return this.#answer(stored, settled[0] as StoreOutcome);
  }

  async ingestBatch({ source, events, rawBody, headers }: BatchDelivery): Promise<BatchOutcome> {
    if (events.length === 0) return { kind: 'accepted', stored: 0, duplicates: 0 };
    const toStoreAll = events.map((event) => toStore(source, event, rawBody, headers));
    const settled = await this.#submit(source, toStoreAll);
    if (settled === 'unavailable') return { kind: 'unavailable' };
    const answers = settled.map((outcome, i) =>
      this.#answer(toStoreAll[i] as EventToStore, outcome),
    );
    const unstorable = answers.find((answer) => answer.kind === 'unstorable');
    if (unstorable) return unstorable;
    const duplicates = answers.filter((a) => a.kind === 'accepted' && a.duplicate).length;
    return { kind: 'accepted', stored: answers.length - duplicates, duplicates };
  }

  #submit(source: Source, events: readonly EventToStore[]): Promise<Settled> {
    return this.#batches.submit({ source, events, arrivedAt: performance.now() });
  }

  async #commit(batch: Pending[]): Promise<Settled[]> {
    const events = batch.flatMap((pending) => pending.events);
    const stored = await this.#store(batch, events);
    if (!stored) return batch.map(() => 'unavailable');
    await this.#queue(events, stored);
    let next = 0;
    return batch.map((pending) => {
      const mine = stored.slice(next, next + pending.events.length);
      next += pending.events.length;
      return mine;
    });
  }

  /** The batch's outcomes, or undefined when Postgres failed or missed the oldest's deadline. */
  async #store(batch: Pending[], events: EventToStore[]): Promise<StoreOutcome[] | undefined> {
    const { log, db } = this.deps;
    // The oldest request is first: its deadline is the batch's.
    const remainingMs =
      (batch[0] as Pending).arrivedAt + this.settings.deadlineMs - performance.now();
    try {
      // A request's events are stored all or none: its index is each event's request.
      const requests = batch.flatMap((pending, i) => pending.events.map(() => i));
      const stored = await within(storeEvents(db, events, requests), remainingMs);
      if (stored !== TIMED_OUT) return stored;
      log.error(
        { batch: events.length, deadlineMs: this.settings.deadlineMs },
        'postgres did not store the events within the deadline',
      );
    } catch (error) {
      log.error({ err: error, batch: events.length }, 'could not store events');
    }
    return undefined;
  }

  async #queue(events: EventToStore[], stored: StoreOutcome[]) {
    const rows = new Map<number, StoredRow>();
    stored.forEach((outcome, i) => {
      if (outcome.kind === 'unstorable' || outcome.kind === 'retained') return;
      if (outcome.kind === 'duplicate' && !outcome.needsJob) return;
      // A duplicate's ledger rows were stored with its first delivery: re-adding their jobs is a no-op.
      const { source, destinations } = events[i] as EventToStore;
      rows.set(outcome.rowId, { rowId: outcome.rowId, source, destinations });
    });
    if (rows.size === 0) return;
    const { db, queue, deliveryQueue, redis, retryPolicies, log } = this.deps;
    try {
      await queueRows({ db, queue, deliveryQueue, retryPolicies }, [...rows.values()], {
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

  #answer(event: EventToStore, outcome: StoreOutcome): IngestOutcome {
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
