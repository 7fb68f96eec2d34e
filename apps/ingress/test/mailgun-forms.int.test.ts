import { webhookEvents } from '@webhook-inbox/db';
import { mailgunSignature } from '@webhook-inbox/signing';
import {
  createTestEnvironment,
  ingressFor,
  sourcesFrom,
  type TestEnvironment,
} from '@webhook-inbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Mailgun's legacy webhooks post a form (multipart when there are attachments): through the
// real ingress, such a post is stored once as JSON without its signing fields.

const KEY = 'mailgun-forms-signing-key';
const TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899';
const BOUNDARY = 'mailgun-forms-boundary';

let env: TestEnvironment;
let app: ReturnType<typeof ingressFor>;

beforeAll(async () => {
  env = await createTestEnvironment();
  app = ingressFor(env, {
    sources: sourcesFrom([{ name: 'mailgun', provider: 'mailgun', secret: KEY }]),
  });
});

afterAll(async () => {
  await app?.close();
  await env?.cleanup();
});

const fields = (key = KEY) => {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    event: 'dropped',
    recipient: 'alice@example.com',
    reason: 'hardfail',
    timestamp,
    token: TOKEN,
    signature: mailgunSignature(key, timestamp, TOKEN),
  };
};

const multipart = (values: Record<string, string>) =>
  `${Object.entries(values)
    .map(
      ([name, value]) =>
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    )
    .join('')}--${BOUNDARY}--\r\n`;

const postMultipart = (values: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: '/webhooks/mailgun',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    payload: multipart(values),
  });

describe('mailgun legacy forms through the ingress', () => {
  it('stores a multipart post once, without its token or signature', async () => {
    const values = fields();
    expect((await postMultipart(values)).json()).toEqual({ received: true, duplicate: false });
    expect((await postMultipart(values)).json()).toEqual({ received: true, duplicate: true });
    // This file's database holds the one source's events only.
    const rows = await env.db
      .select({ type: webhookEvents.eventType, payload: webhookEvents.payload })
      .from(webhookEvents);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.type).toBe('dropped');
    expect(rows[0]?.payload).toEqual({
      event: 'dropped',
      recipient: 'alice@example.com',
      reason: 'hardfail',
      timestamp: values.timestamp,
    });
  });

  it('refuses a form signed with another key with the usual 401', async () => {
    const response = await postMultipart(fields('not-our-key'));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'signature verification failed' });
  });
});
