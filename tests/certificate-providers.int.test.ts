import { createPrivateKey } from 'node:crypto';
import { webhookEvents } from '@webhook-inbox/db';
import { paypalSignature } from '@webhook-inbox/signing';
import { ingressPerFile, sourcesFrom } from '@webhook-inbox/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateServer, snsNotification } from '../packages/verify/test/certificate-server.ts';
import { fixture } from '../packages/verify/test/support.ts';

// The providers whose certificate is fetched, through the real ingress: SNS's text/plain body
// stored as it came, PayPal's signature header kept out of the stored headers, and a
// certificate URL off the allow-list refused without a fetch.

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:orders-int';
const WEBHOOK_ID = '5GP028458E2496506';
const LOCAL = { certificateHostPattern: '^127\\.0\\.0\\.1$', allowLoopbackHttpForTests: true };
const key = createPrivateKey(fixture('x509/signer.key'));
const certificates = new CertificateServer();

let certificateUrl = '';

beforeAll(async () => {
  await certificates.start();
  certificateUrl = certificates.serve('/cert.pem', fixture('x509/signer.pem').toString());
});
afterAll(() => certificates.stop());

const ingress = ingressPerFile(() => ({
  sources: sourcesFrom([
    { name: 'orders-topic', provider: 'aws-sns', secret: TOPIC, options: LOCAL },
    { name: 'paypal', provider: 'paypal', secret: WEBHOOK_ID, options: LOCAL },
  ]),
}));

const stored = (source: string) =>
  ingress.env.db
    .select({ eventId: webhookEvents.eventId, headers: webhookEvents.headers })
    .from(webhookEvents)
    .where(eq(webhookEvents.source, source));

const postSns = (message: Record<string, string>) =>
  ingress.app.inject({
    method: 'POST',
    url: '/webhooks/orders-topic',
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': 'Notification',
    },
    payload: JSON.stringify(message),
  });

const notification = (id: string, url = certificateUrl) => snsNotification(key, TOPIC, id, url);

describe('certificate providers through the ingress', () => {
  it('stores an SNS notification once, fetching its certificate once', async () => {
    const message = notification('sns-int-1');
    expect((await postSns(message)).statusCode).toBe(200);
    expect((await postSns(message)).statusCode).toBe(200);
    expect((await stored('orders-topic')).map((row) => row.eventId)).toEqual(['sns-int-1']);
    expect(certificates.requests).toEqual(['/cert.pem']);
  });

  it('refuses an SNS message whose certificate URL is off the list, without a fetch', async () => {
    certificates.reset();
    const response = await postSns(notification('sns-int-2', 'https://evil.example/cert.pem'));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'signature verification failed' });
    expect(certificates.requests).toEqual([]);
  });

  it('stores a PayPal event without its signature header', async () => {
    const body = JSON.stringify({ id: 'WH-INT-1', event_type: 'PAYMENT.CAPTURE.COMPLETED' });
    const time = new Date().toISOString();
    const response = await ingress.app.inject({
      method: 'POST',
      url: '/webhooks/paypal',
      headers: {
        'content-type': 'application/json',
        'paypal-transmission-id': 't-int-1',
        'paypal-transmission-time': time,
        'paypal-transmission-sig': paypalSignature(key, 't-int-1', time, WEBHOOK_ID, body),
        'paypal-cert-url': certificateUrl,
        'paypal-auth-algo': 'SHA256withRSA',
      },
      payload: body,
    });
    expect(response.statusCode).toBe(200);
    const [row] = await stored('paypal');
    expect(row?.eventId).toBe('WH-INT-1');
    expect(Object.keys(row?.headers ?? {})).not.toContain('paypal-transmission-sig');
    expect(Object.keys(row?.headers ?? {})).toContain('paypal-transmission-id');
  });
});
