import { createPrivateKey } from 'node:crypto';
import { webhookEvents } from '@webhook-inbox/db';
import { buildIngress } from '@webhook-inbox/ingress';
import { paypalSignature } from '@webhook-inbox/signing';
import {
  createTestEnvironment,
  freePort,
  silentLog,
  sourcesFrom,
  type TestEnvironment,
} from '@webhook-inbox/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CertificateServer, snsNotification } from '../packages/verify/test/certificate-server.ts';
import { fixture } from '../packages/verify/test/support.ts';

// When a sender's certificate host is down or hangs, the ingress answers 503 with Retry-After
// and a short JSON error, so the sender retries; nothing is stored. A certificate URL off the
// allow-list is still refused as a bad signature, without a fetch.

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:orders-outage';
const WEBHOOK_ID = '5GP028458E2496507';
const LOCAL = {
  certificateHostPattern: '^127\\.0\\.0\\.1$',
  allowLoopbackHttpForTests: true,
  certificateFetchTimeoutMs: 200,
};
const key = createPrivateKey(fixture('x509/signer.key'));
const hanging = new CertificateServer();

let env: TestEnvironment;
let app: ReturnType<typeof buildIngress>;
let down = '';

beforeAll(async () => {
  env = await createTestEnvironment();
  await hanging.start();
  down = `http://127.0.0.1:${await freePort()}`;
  app = buildIngress({
    sources: sourcesFrom([
      { name: 'orders-topic', provider: 'aws-sns', secret: TOPIC, options: LOCAL },
      { name: 'paypal', provider: 'paypal', secret: WEBHOOK_ID, options: LOCAL },
    ]),
    db: env.db,
    queue: env.queue,
    redis: env.redis,
    log: silentLog,
    bodyLimit: 64 * 1024,
  });
});

afterAll(async () => {
  await app?.close();
  await hanging.stop();
  await env?.cleanup();
});

beforeEach(() => hanging.reset());

const postSns = (id: string, certificateUrl: string) =>
  app.inject({
    method: 'POST',
    url: '/webhooks/orders-topic',
    headers: { 'content-type': 'text/plain; charset=UTF-8' },
    payload: JSON.stringify(snsNotification(key, TOPIC, id, certificateUrl)),
  });

const postPaypal = (certificateUrl: string) => {
  const body = JSON.stringify({ id: 'WH-OUTAGE-1', event_type: 'PAYMENT.CAPTURE.COMPLETED' });
  const time = new Date().toISOString();
  return app.inject({
    method: 'POST',
    url: '/webhooks/paypal',
    headers: {
      'content-type': 'application/json',
      'paypal-transmission-id': 't-outage-1',
      'paypal-transmission-time': time,
      'paypal-transmission-sig': paypalSignature(key, 't-outage-1', time, WEBHOOK_ID, body),
      'paypal-cert-url': certificateUrl,
      'paypal-auth-algo': 'SHA256withRSA',
    },
    payload: body,
  });
};

const storedRows = () => env.db.select({ id: webhookEvents.id }).from(webhookEvents);

const expectRetryLater = (response: Awaited<ReturnType<typeof postSns>>) => {
  expect(response.statusCode).toBe(503);
  expect(response.headers['retry-after']).toBe('5');
  expect(response.json()).toEqual({
    error: "the sender's signing keys could not be fetched, retry later",
  });
};

describe('a certificate host that is down or hangs, through the ingress', () => {
  it('answers an SNS message whose certificate host is down with a 503, storing nothing', async () => {
    expectRetryLater(await postSns('sns-outage-1', `${down}/cert.pem`));
    expect(await storedRows()).toEqual([]);
  });

  it('answers a PayPal event whose certificate host hangs with a 503, storing nothing', async () => {
    hanging.behaviour = 'slow';
    expectRetryLater(await postPaypal(`${hanging.origin}/v1/notifications/certs/CERT-1`));
    expect(await storedRows()).toEqual([]);
  });

  it('still refuses a certificate URL off the allow-list with a 401, without a fetch', async () => {
    const response = await postSns('sns-outage-2', 'https://evil.example/cert.pem');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'signature verification failed' });
    expect(hanging.requests).toEqual([]);
  });
});
