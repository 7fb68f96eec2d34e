import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DestinationConfigError,
  destinationsFor,
  matchesType,
  parseDestination,
  parseDestinationRoute,
  parseHostAllowList,
} from '../src/index.ts';

const hosts = parseHostAllowList(['*.internal.example', '10.0.0.0/8']);
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const entry = { name: 'billing', url: 'https://billing.internal.example/hooks', secret };

function problemWith(fields: Record<string, unknown>): string {
  try {
    parseDestination({ ...entry, ...fields }, hosts);
  } catch (error) {
    expect(error).toBeInstanceOf(DestinationConfigError);
    return (error as Error).message;
  }
  throw new Error('the destination was accepted');
}

describe('parseDestination', () => {
  it('fills the defaults', () => {
    expect(parseDestination(entry, hosts)).toEqual({
      name: 'billing',
      types: ['*'],
      retry: { attempts: 12, baseMs: 5_000, capMs: 1_800_000 },
      url: new URL(entry.url),
      secrets: [secret],
      timeoutMs: 15_000,
      rateLimitPerSecond: undefined,
      envelope: 'body',
      forwardHeaders: [],
    });
  });

  it('accepts an allow-listed private address over plain http', () => {
    const destination = parseDestination({ ...entry, url: 'http://10.2.3.4:8080/in' }, hosts);
    expect(destination.url.host).toBe('10.2.3.4:8080');
  });

  it.each([
    [
      { url: 'https://evil.example/hooks' },
      'destination "billing": url: host evil.example is not on the destination host allow-list (*.internal.example, 10.0.0.0/8); add it, or a pattern that covers it',
    ],
    [{ url: 'http://192.168.0.1/' }, 'host 192.168.0.1 is not on the destination host allow-list'],
    [
      { url: 'ftp://billing.internal.example/x' },
      'url: ftp: is not allowed, only http: and https:',
    ],
    [{ url: 'https://user:pass@billing.internal.example/' }, 'url: must not carry credentials'],
    [{ url: 'https://token@billing.internal.example/' }, 'url: must not carry credentials'],
    [{ url: '/hooks' }, 'url: "/hooks" is not an absolute URL'],
  ])('refuses a bad URL with one line naming the destination: %o', (fields, problem) => {
    const message = problemWith(fields);
    expect(message).toContain('destination "billing": url: ');
    expect(message).toContain(problem);
  });

  it.each([
    [{ secret: undefined }, 'needs exactly one of "secret" or "secrets"'],
    [{ secrets: [secret] }, 'needs exactly one of "secret" or "secrets"'],
    [{ secret: 'hunter2' }, 'secret: secret is not a Standard Webhooks secret'],
    [{ secret: 'whsec_c2hvcnQ=' }, 'decodes to 5 bytes, fewer than 24'],
    [{ timeoutMs: 0 }, 'timeoutMs: '],
    [{ rateLimitPerSecond: 0 }, 'rateLimitPerSecond: '],
    [{ envelope: 'raw' }, 'envelope: '],
    [{ forwardHeaders: ['Authorization'] }, 'may carry a credential and is never forwarded'],
    [{ forwardHeaders: ['x-hub-signature-256'] }, 'may carry a credential'],
    [{ forwardHeaders: ['webhook-signature'] }, 'may carry a credential'],
    [{ forwardHeaders: ['webhook-id'] }, 'is set by the delivery itself'],
    [{ forwardHeaders: ['Host'] }, 'is set by the delivery itself'],
    [{ forwardHeaders: ['bad header'] }, 'is not an HTTP header name'],
    [{ name: 'Billing' }, 'name: must be lower-case'],
    [{ retries: 3 }, 'retries'],
  ])('refuses %o', (fields, problem) => {
    expect(problemWith(fields)).toContain(problem);
  });

  it('keeps rotated secrets in order and forwarded header names in lower case', () => {
    const next = `whsec_${randomBytes(32).toString('base64')}`;
    const destination = parseDestination(
      { ...entry, secret: undefined, secrets: [secret, next], forwardHeaders: ['X-Request-Id'] },
      hosts,
    );
    expect(destination.secrets).toEqual([secret, next]);
    expect(destination.forwardHeaders).toEqual(['x-request-id']);
  });
});

describe('destination routes', () => {
  it('reads the route of an entry whose secrets are still references', () => {
    const route = parseDestinationRoute({ name: 'billing', secret: 'env:X', types: ['invoice.*'] });
    expect(route).toEqual({
      name: 'billing',
      types: ['invoice.*'],
      retry: { attempts: 12, baseMs: 5_000, capMs: 1_800_000 },
    });
  });

  it.each([
    ['invoice.*', 'invoice.paid', true],
    ['invoice.*', 'invoice.line.added', true],
    ['invoice.*', 'invoices.paid', false],
    ['invoice.*', 'invoice', false],
    ['invoice.paid', 'invoice.paid', true],
    ['invoice.paid', 'invoice.paid.late', false],
    ['*', 'anything', true],
  ])('%s matches %s: %s', (pattern, type, expected) => {
    expect(matchesType([pattern], type)).toBe(expected);
  });

  it('refuses a pattern with a star inside', () => {
    expect(() => parseDestinationRoute({ name: 'b', types: ['in*voice'] })).toThrow(/event type/);
  });

  it('lists the destinations an event goes to, in order', () => {
    const routes = [
      parseDestinationRoute({ name: 'a', types: ['invoice.*'] }),
      parseDestinationRoute({ name: 'b' }),
    ];
    const unread = () => {
      throw new Error('no destination filters on the payload: it is never read');
    };
    expect(destinationsFor(routes, 'invoice.paid', unread)).toEqual(['a', 'b']);
    expect(destinationsFor(routes, 'customer.created', unread)).toEqual(['b']);
    expect(destinationsFor(undefined, 'x', unread)).toEqual([]);
  });

  it('sends an event only to the destinations whose payload filter selects it', () => {
    const routes = [
      parseDestinationRoute({ name: 'eu', types: ['invoice.*'], payload: 'data.currency = eur' }),
      parseDestinationRoute({ name: 'live', payload: { livemode: true } }),
      parseDestinationRoute({ name: 'all' }),
    ];
    let reads = 0;
    const payloadOf = (payload: unknown) => () => {
      reads += 1;
      return payload;
    };
    const eur = { livemode: true, data: { currency: 'eur' } };
    expect(destinationsFor(routes, 'invoice.paid', payloadOf(eur))).toEqual(['eu', 'live', 'all']);
    expect(reads).toBe(1);
    const usdTest = { livemode: false, data: { currency: 'usd' } };
    expect(destinationsFor(routes, 'invoice.paid', payloadOf(usdTest))).toEqual(['all']);
    expect(destinationsFor(routes, 'customer.created', payloadOf(eur))).toEqual(['live', 'all']);
  });

  it.each([
    ['currency', /expected `path\.to\.key = value`/],
    [42, /payload/],
    [['data.currency = eur'], /payload/],
  ])('refuses the payload filter %j', (payload, message) => {
    expect(() => parseDestinationRoute({ name: 'b', payload })).toThrow(message);
  });
});
