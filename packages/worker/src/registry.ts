import type { Transaction } from '@webhook-inbox/db';
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
   * The event's transaction. Write through it: its writes commit together with the event's
   * `processed` mark, so they happen exactly once however often the event is delivered.
   */
  readonly tx: Transaction;
  readonly log: Logger;
}

export type Handler<Payload = unknown> = (
  event: WebhookEvent<Payload>,
  context: HandlerContext,
) => Promise<void>;

/** Anything with zod's `parse`: a payload it throws on is dead at once, as no retry can fix it. */
export interface PayloadSchema<Payload> {
  parse(value: unknown): Payload;
}

/** `*` as the type matches every type of that source that has no handler of its own. */
export const ANY_TYPE = '*';

export class HandlerRegistry {
  readonly #handlers = new Map<string, Handler>();

  on(source: string, type: string, handler: Handler): this;
  on<Payload>(
    source: string,
    type: string,
    schema: PayloadSchema<Payload>,
    handler: Handler<Payload>,
  ): this;
  on<Payload>(
    source: string,
    type: string,
    schemaOrHandler: PayloadSchema<Payload> | Handler,
    maybeHandler?: Handler<Payload>,
  ): this {
    const key = `${source}\u0000${type}`;
    if (this.#handlers.has(key)) throw new Error(`a handler for ${source} ${type} already exists`);
    if (typeof schemaOrHandler === 'function') {
      this.#handlers.set(key, schemaOrHandler);
    } else if (maybeHandler) {
      this.#handlers.set(key, withSchema(schemaOrHandler, maybeHandler));
    } else {
      throw new Error(`the handler for ${source} ${type} is missing`);
    }
    return this;
  }

  find(source: string, type: string): Handler | undefined {
    return (
      this.#handlers.get(`${source}\u0000${type}`) ??
      this.#handlers.get(`${source}\u0000${ANY_TYPE}`)
    );
  }
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
