import { Writable } from 'node:stream';
import {
  createTestEnvironment,
  paymentEvent,
  signedPayment,
  type TestEnvironment,
} from '@webhook-inbox/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIngress } from '../../src/app.ts';
import { exampleSources } from '../support.ts';

// What an operator (and the metrics) read of duplicates: the request's log line names the key
// that made it one, and a changed body under a stored event ID is flagged with both digests.

let env: TestEnvironment;
let app: ReturnType<typeof buildIngress>;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  app = buildIngress({
    sources: exampleSources(),
    db: env.db,
    queue: env.queue,
    redis: env.redis,
    log: pino({ level: 'info' }, sink),
    bodyLimit: 64 * 1024,
  });
});
afterAll(async () => {
  await app.close();
  await env.cleanup();
});

const requestLines = () => lines.filter((line) => line.msg === 'webhook');

describe('duplicate log fields', () => {
  it('logs the duplicate key, and a conflicting body with both digests and no payload', async () => {
    const event = paymentEvent('cus_log', 100);
    const body = JSON.stringify(event);
    const changed = JSON.stringify({ ...event, data: { ...event.data, amount: 999_999 } });
    expect((await app.inject(signedPayment(body))).json()).toEqual({
      received: true,
      duplicate: false,
    });
    expect((await app.inject(signedPayment(body))).json()).toEqual({
      received: true,
      duplicate: true,
    });
    expect((await app.inject(signedPayment(changed))).statusCode).toBe(200);

    const [first, repeat, conflicting] = requestLines().slice(-3);
    expect(first).toMatchObject({ eventId: event.id, duplicate: false });
    expect(first).not.toHaveProperty('duplicateKey');
    expect(repeat).toMatchObject({ duplicate: true, duplicateKey: 'event_id' });
    expect(repeat).not.toHaveProperty('conflicting');
    expect(conflicting).toMatchObject({
      duplicate: true,
      duplicateKey: 'event_id',
      conflicting: true,
    });

    const warning = lines.find((line) => line.storedSha256 !== undefined);
    expect(warning).toMatchObject({
      level: 40,
      eventId: event.id,
      duplicateKey: 'event_id',
      storedSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      receivedSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(warning)).not.toContain('999999');
  });
});
