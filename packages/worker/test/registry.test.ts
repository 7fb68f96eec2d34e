import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_SUBSCRIBER,
  defineHandlers,
  type Handler,
  type HandlerContext,
  selects,
  type WebhookEvent,
} from '../src/registry.ts';

const handler = (): Handler => async () => {};

const namesFor = (registry: ReturnType<typeof defineHandlers>, source: string, type: string) =>
  registry.subscribersFor(source, type).map((subscriber) => subscriber.name);

describe('subscribers of an event type', () => {
  it('gives each named subscriber an event once, in the order first registered', () => {
    const registry = defineHandlers()
      .on('billing', 'invoice.*', handler(), { name: 'books' })
      .on('billing', 'invoice.paid', handler())
      .on('billing', '*', handler(), { name: 'audit' })
      .on('other', 'invoice.paid', handler(), { name: 'elsewhere' });
    expect(namesFor(registry, 'billing', 'invoice.paid')).toEqual([
      'books',
      DEFAULT_SUBSCRIBER,
      'audit',
    ]);
    expect(namesFor(registry, 'billing', 'invoice.voided')).toEqual(['books', 'audit']);
    expect(namesFor(registry, 'billing', 'customer.created')).toEqual(['audit']);
    expect(namesFor(registry, 'nobody', 'invoice.paid')).toEqual([]);
  });

  it("runs a subscriber's most specific pattern only: the type, the longest prefix, then *", () => {
    const exact = handler();
    const longPrefix = handler();
    const shortPrefix = handler();
    const any = handler();
    const registry = defineHandlers()
      .on('billing', '*', any)
      .on('billing', 'invoice.*', shortPrefix)
      .on('billing', 'invoice.payment.*', longPrefix)
      .on('billing', 'invoice.payment.failed', exact);
    const only = (type: string) => registry.subscribersFor('billing', type).map((s) => s.handler);
    expect(only('invoice.payment.failed')).toEqual([exact]);
    expect(only('invoice.payment.succeeded')).toEqual([longPrefix]);
    expect(only('invoice.paid')).toEqual([shortPrefix]);
    expect(only('invoicepaid')).toEqual([any]);
    expect(registry.find('billing', 'invoice.paid')).toBe(shortPrefix);
  });

  it('answers the same after more distinct types than it keeps answers for', () => {
    const registry = defineHandlers().on('billing', 'invoice.*', handler(), { name: 'books' });
    for (let i = 0; i < 5_000; i += 1) {
      expect(namesFor(registry, 'billing', `invoice.t${i}`)).toEqual(['books']);
    }
    expect(namesFor(registry, 'billing', 'invoice.t0')).toEqual(['books']);
    expect(namesFor(registry, 'billing', 'other.t0')).toEqual([]);
  });

  it('finds only the default subscriber, and sees handlers registered after a lookup', () => {
    const registry = defineHandlers().on('billing', 'invoice.paid', handler(), { name: 'books' });
    expect(registry.find('billing', 'invoice.paid')).toBeUndefined();
    const late = handler();
    registry.on('billing', 'invoice.*', late);
    expect(registry.find('billing', 'invoice.paid')).toBe(late);
    expect(namesFor(registry, 'billing', 'invoice.paid')).toEqual(['books', DEFAULT_SUBSCRIBER]);
  });

  it('gives a handler its subscriber name and a schema-checked payload', async () => {
    const seen: { subscriber: string; amount: number }[] = [];
    const registry = defineHandlers().on(
      'billing',
      'invoice.paid',
      z.object({ amount: z.number() }),
      async ({ payload }, { subscriber }) => {
        seen.push({ subscriber, amount: payload.amount });
      },
      { name: 'books' },
    );
    const [books] = registry.subscribersFor('billing', 'invoice.paid');
    const event = { payload: { amount: 3 } } as WebhookEvent;
    const context = { subscriber: 'books' } as HandlerContext;
    await books?.handler(event, context);
    expect(seen).toEqual([{ subscriber: 'books', amount: 3 }]);
    const mismatched = { payload: { amount: 'three' } } as WebhookEvent;
    // As the worker calls a handler: a synchronous throw is its attempt's failure too.
    await expect(
      Promise.resolve().then(() => books?.handler(mismatched, context)),
    ).rejects.toBeInstanceOf(UnrecoverableError);
  });
});

describe("a subscriber's payload filter", () => {
  const eur = { data: { object: { currency: 'eur', livemode: true } } };
  const usd = { data: { object: { currency: 'usd', livemode: true } } };
  const selectedFor = (registry: ReturnType<typeof defineHandlers>, payload: unknown) =>
    registry
      .subscribersFor('billing', 'invoice.paid')
      .filter((subscriber) => selects(subscriber, payload))
      .map((subscriber) => subscriber.name);

  it('selects by the console form, a JSON object, or not at all', () => {
    const registry = defineHandlers()
      .on('billing', 'invoice.*', handler(), {
        name: 'europe',
        payload: 'data.object.currency = eur',
      })
      .on('billing', 'invoice.paid', handler(), {
        name: 'live',
        payload: { data: { object: { livemode: true } } },
      })
      .on('billing', '*', handler(), { name: 'audit' });
    expect(selectedFor(registry, eur)).toEqual(['europe', 'live', 'audit']);
    expect(selectedFor(registry, usd)).toEqual(['live', 'audit']);
    expect(selectedFor(registry, { data: {} })).toEqual(['audit']);
    expect(selectedFor(registry, 'not an object')).toEqual(['audit']);
  });

  it("is the matching pattern's own: a more specific pattern without one takes every event", () => {
    const registry = defineHandlers()
      .on('billing', 'invoice.*', handler(), {
        name: 'books',
        payload: 'data.object.currency = eur',
      })
      .on('billing', 'invoice.paid', handler(), { name: 'books' });
    expect(selectedFor(registry, usd)).toEqual(['books']);
    expect(
      registry
        .subscribersFor('billing', 'invoice.voided')
        .filter((subscriber) => selects(subscriber, usd)),
    ).toEqual([]);
  });
});

describe('registering a handler refuses', () => {
  it('a second handler for the same subscriber, source and pattern', () => {
    const registry = defineHandlers().on('billing', 'invoice.*', handler(), { name: 'books' });
    expect(() => registry.on('billing', 'invoice.*', handler(), { name: 'books' })).toThrow(
      'a handler for billing invoice.* named "books" already exists',
    );
    expect(() => registry.on('billing', 'invoice.*', handler())).not.toThrow();
  });

  it.each(['Books', 'books team', '-books', '', 'bü'])('the subscriber name %j', (name) => {
    expect(() => defineHandlers().on('billing', 'invoice.paid', handler(), { name })).toThrow(
      /subscriber name .* use lower-case letters, digits, _ or -/,
    );
  });

  it.each(['invoice.*.paid', '*.paid', 'invoice*', 'invoice paid', '', '**'])(
    'the type pattern %j',
    (type) => {
      expect(() => defineHandlers().on('billing', type, handler())).toThrow(
        /use an event type, "prefix\.\*" or "\*"/,
      );
    },
  );

  it.each(['currency', '= eur', '{"data": ', '[1]'])('the payload filter %j', (payload) => {
    expect(() => defineHandlers().on('billing', 'invoice.paid', handler(), { payload })).toThrow(
      /^payload filter for billing invoice\.paid: /,
    );
  });

  it('a schema without its handler', () => {
    const registry = defineHandlers();
    const on = registry.on as (...args: unknown[]) => unknown;
    expect(() => on.call(registry, 'billing', 'invoice.paid', z.object({}))).toThrow(
      'the handler for billing invoice.paid is missing',
    );
  });
});
