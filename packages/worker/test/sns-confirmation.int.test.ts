import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, type Database } from '@webhook-inbox/db';
import {
  environmentPerFile,
  eventState,
  storeAndQueue,
  waitForEventStatus,
} from '@webhook-inbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineHandlers } from '../src/registry.ts';
import { confirmSnsSubscriptions } from '../src/sns-confirmation.ts';
import { workerFor } from './support.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:orders';
const LOCAL = { certificateHostPattern: '^127\\.0\\.0\\.1$', allowLoopbackHttpForTests: true };

const env = environmentPerFile();
let db: Database;
let sns: Server;
let origin = '';
const visited: string[] = [];

beforeAll(async () => {
  db = createDb(env.databaseUrl, { max: 4 });
  // Stands in for SNS's confirmation endpoint: it answers 200 to what it is asked.
  sns = createServer((request, response) => {
    visited.push(request.url ?? '');
    response.end('<ConfirmSubscriptionResponse/>');
  });
  await new Promise<void>((resolve) => sns.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(sns.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => sns.close(() => resolve()));
  await db.close();
});

const confirmation = (eventId: string, subscribeUrl: string) => ({
  source: 'orders-topic',
  eventId,
  eventType: 'SubscriptionConfirmation',
  body: JSON.stringify({
    Type: 'SubscriptionConfirmation',
    TopicArn: TOPIC,
    SubscribeURL: subscribeUrl,
  }),
});

describe('SNS subscription confirmation', () => {
  it('visits the SubscribeURL on an allow-listed host only, and keeps a handler of the user’s', async () => {
    const handlers = defineHandlers();
    confirmSnsSubscriptions(handlers, new Map([['orders-topic', LOCAL]]));
    // A user's own handler for the type is kept; the built-in one is not added twice.
    const mine = async () => {};
    const own = defineHandlers().on('orders-topic', 'SubscriptionConfirmation', mine);
    confirmSnsSubscriptions(own, new Map([['orders-topic', LOCAL]]));
    expect(own.find('orders-topic', 'SubscriptionConfirmation')).toBe(mine);

    const worker = workerFor(env, handlers, {
      db,
      concurrency: 2,
      stall: { lockDurationMs: 5_000, stalledIntervalMs: 5_000, maxStalledCount: 1 },
      handlerTimeoutMs: () => 5_000,
    });
    const retry = { attempts: 3, backoffMs: 100 };
    try {
      const path = `/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336`;
      await storeAndQueue(env, confirmation('sns-ok', `${origin}${path}`), retry);
      await waitForEventStatus(env, 'sns-ok', 'processed');
      expect(visited).toEqual([path]);

      await storeAndQueue(env, confirmation('sns-off', 'https://evil.example.com/?Token=1'), retry);
      await waitForEventStatus(env, 'sns-off', 'dead');
      expect((await eventState(env, 'sns-off'))?.last_error).toMatch(
        /SubscribeURL refused: host evil\.example\.com is not allow-listed/,
      );
      expect(visited).toHaveLength(1);
    } finally {
      await worker.close();
    }
  });
});
