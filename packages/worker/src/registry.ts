import type { Transaction } from '@webhook-inbox/db';
import { matchesType } from '@webhook-inbox/delivery';
import {
  DEFAULT_SUBSCRIBER,
  isSubscriberName,
  type JsonObject,
  parsePayloadMatch,
  payloadContains,
  SUBSCRIBER_NAME_RULE,
} from '@webhook-inbox/inbox';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';

export interface WebhookEvent<Payload = unknown> {
  /** The inbox row's ID. */
  readonly id: number;
  readonly source: string;
  /** The provider's ID for the event: the idempotency key. */
  readonly eventId: string;
  readonly type: string;
  readonly payload: Payload;
  /** As received, less credential headers. */
  readonly headers: Readonly<Record<string, string>>;
  readonly receivedAt: Date;
  /** 1 on the first try. */
  readonly attempt: number;
  /** Set when its source orders events (`ordering` in the sources file) and it has a key. */
  readonly ordering?: EventOrdering;
}

/** Where an ordered event stands in its key; its handler may decide with it itself. */
export interface EventOrdering {
  readonly key: string;
  /** The provider value it is ordered by (epoch ms for a date); null by arrival or if absent. */
  readonly value: number | null;
  /** The largest value applied so far for its key (the last, as they run in order); or null. */
  readonly previous: number | null;
}

export interface HandlerContext {
  /**
   * The event's transaction. Write through it: its writes commit together with this
   * subscriber's `processed` mark in the ledger, so they happen exactly once however often the
   * event is delivered and whatever the event's other subscribers do.
   */
  readonly tx: Transaction;
  readonly log: Logger;
  /** The name of the subscriber running: `DEFAULT_SUBSCRIBER` unless the handler was given one. */
  readonly subscriber: string;
}

export type Handler<Payload = unknown> = (
  event: WebhookEvent<Payload>,
  context: HandlerContext,
) => Promise<void>;

/** Anything with zod's `parse`: a payload it throws on is dead at once, as no retry can fix it. */
export interface PayloadSchema<Payload> {
  parse(value: unknown): Payload;
}

/** `*` as the type matches every type of its source. */
export const ANY_TYPE = '*';

export { DEFAULT_SUBSCRIBER };

export interface SubscriberOptions {
  /**
   * The subscriber's name: stable, as the ledger and `replay --subscriber` know it by it.
   * Lower-case letters, digits, `_` and `-`; `DEFAULT_SUBSCRIBER` when absent.
   */
  readonly name?: string;
  /**
   * Only events whose payload contains this, in the console's filter language:
   * `data.object.currency = eur` or a JSON object (`{"data":{"object":{"livemode":true}}}`).
   */
  readonly payload?: string | JsonObject;
}

/** One subscriber's handler for an event: what the worker runs, once per event. */
export interface Subscriber {
  readonly name: string;
  readonly handler: Handler;
  /** What an event's payload must contain for it to run, when its registration said. */
  readonly payload?: JsonObject;
}

/** Whether a subscriber runs for an event with this payload (its `payload` option, if any). */
export const selects = (subscriber: Subscriber, payload: unknown) =>
  subscriber.payload === undefined || payloadContains(payload, subscriber.payload);

/** As the sources file's destinations take them: `*`, `prefix.*`, or a type. */
const TYPE_PATTERN = /^(?:\*|[^*\s]+(?:\.\*)?)$/;

/** How closely a pattern that matches names a type: the most specific one of a subscriber runs. */
function specificity(pattern: string): number {
  if (pattern === ANY_TYPE) return 0;
  return pattern.endsWith('.*') ? pattern.length : Number.POSITIVE_INFINITY;
}

type Patterns = Map<string, Omit<Subscriber, 'name'>>;

/** Types come from senders: the answers kept are bounded, so no stream of new types grows it. */
const MAX_RESOLVED = 4_096;

export class HandlerRegistry {
  /** source → subscriber name → type pattern → handler, names in the order first registered. */
  readonly #sources = new Map<string, Map<string, Patterns>>();
  /** The answer of `subscribersFor` per source and type: it is asked for every event. */
  readonly #resolved = new Map<string, readonly Subscriber[]>();

  on(source: string, type: string, handler: Handler, options?: SubscriberOptions): this;
  on<Payload>(
    source: string,
    type: string,
    schema: PayloadSchema<Payload>,
    handler: Handler<Payload>,
    options?: SubscriberOptions,
  ): this;
  on<Payload>(
    source: string,
    type: string,
    schemaOrHandler: PayloadSchema<Payload> | Handler,
    handlerOrOptions?: Handler<Payload> | SubscriberOptions,
    maybeOptions?: SubscriberOptions,
  ): this {
    if (typeof schemaOrHandler === 'function') {
      return this.#add(source, type, schemaOrHandler, handlerOrOptions as SubscriberOptions);
    }
    if (typeof handlerOrOptions !== 'function') {
      throw new Error(`the handler for ${source} ${type} is missing`);
    }
    const handler = handlerOrOptions as Handler<Payload>;
    return this.#add(source, type, withSchema(schemaOrHandler, handler), maybeOptions);
  }

  #add(source: string, type: string, handler: Handler, options: SubscriberOptions | undefined) {
    const name = options?.name ?? DEFAULT_SUBSCRIBER;
    if (!isSubscriberName(name)) {
      throw new Error(
        `subscriber name ${JSON.stringify(name)} for ${source} ${type}: use ${SUBSCRIBER_NAME_RULE}`,
      );
    }
    if (!TYPE_PATTERN.test(type)) {
      throw new Error(
        `type ${JSON.stringify(type)} for ${source}: use an event type, "prefix.*" or "*"`,
      );
    }
    const names = this.#sources.get(source) ?? new Map<string, Patterns>();
    const patterns: Patterns = names.get(name) ?? new Map();
    if (patterns.has(type)) {
      throw new Error(`a handler for ${source} ${type} named "${name}" already exists`);
    }
    patterns.set(type, { handler, ...payloadOption(source, type, options?.payload) });
    names.set(name, patterns);
    this.#sources.set(source, names);
    this.#resolved.clear();
    return this;
  }

  /**
   * Every subscriber an event of `type` goes to, each once, in the order they were first
   * registered: each subscriber's handler for the most specific of its patterns that matches
   * (the type itself, then the longest `prefix.*`, then `*`).
   */
  subscribersFor(source: string, type: string): readonly Subscriber[] {
    const key = `${source}\u0000${type}`;
    let subscribers = this.#resolved.get(key);
    if (!subscribers) {
      subscribers = [...(this.#sources.get(source) ?? [])].flatMap(([name, patterns]) => {
        const match = bestMatch(patterns, type);
        return match ? [{ name, ...match }] : [];
      });
      if (this.#resolved.size >= MAX_RESOLVED) this.#resolved.clear();
      this.#resolved.set(key, subscribers);
    }
    return subscribers;
  }

  /** The default subscriber's handler for an event of `type`, if it has one. */
  find(source: string, type: string): Handler | undefined {
    return this.subscribersFor(source, type).find(({ name }) => name === DEFAULT_SUBSCRIBER)
      ?.handler;
  }
}

function bestMatch(patterns: Patterns, type: string) {
  let best: { rank: number; match: Omit<Subscriber, 'name'> } | undefined;
  for (const [pattern, match] of patterns) {
    if (!matchesType([pattern], type)) continue;
    const rank = specificity(pattern);
    if (!best || rank > best.rank) best = { rank, match };
  }
  return best?.match;
}

function payloadOption(source: string, type: string, payload: SubscriberOptions['payload']) {
  if (payload === undefined) return {};
  if (typeof payload !== 'string') return { payload };
  const parsed = parsePayloadMatch(payload);
  if (!parsed.ok) throw new Error(`payload filter for ${source} ${type}: ${parsed.reason}`);
  return { payload: parsed.value };
}

function withSchema<Payload>(schema: PayloadSchema<Payload>, handler: Handler<Payload>): Handler {
  return (event, context) => {
    let payload: Payload;
    try {
      payload = schema.parse(event.payload);
    } catch (error) {
      throw new UnrecoverableError(
        `payload does not match its schema: ${(error as Error).message}`,
      );
    }
    return handler({ ...event, payload }, context);
  };
}

export function defineHandlers(): HandlerRegistry {
  return new HandlerRegistry();
}
