import {
  githubSignature,
  linearSignature,
  shopifySignature,
  standardWebhooksSignature,
} from '@webhook-inbox/signing';
import { capturedLog, ingressPerFile, sourcesFrom } from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';
import { linearBody } from '../../../packages/verify/test/cases/index.ts';
import { fixture, unixSeconds } from '../../../packages/verify/test/support.ts';

// How the ingress tells a provider's redelivery from a new event, where the provider's own
// habits make that hard: one body sent under several topics, bodies without a type, and
// retries that re-stamp a field inside the signed body.

const SHOPIFY_SECRET = 'shpss_redelivery_secret';
const GITHUB_SECRET = 'github redelivery secret';
const LINEAR_SECRET = 'lin_wh_redelivery_secret';
const STANDARD_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const { log, lines } = capturedLog();
const ingress = ingressPerFile(() => ({
  sources: sourcesFrom([
    { name: 'shop', provider: 'shopify', secret: SHOPIFY_SECRET },
    { name: 'gh', provider: 'github', secret: GITHUB_SECRET },
    { name: 'lin', provider: 'linear', secret: LINEAR_SECRET },
    { name: 'replicate', provider: 'standard-webhooks', secret: STANDARD_SECRET },
  ]),
  log,
}));

const post = async (url: string, headers: Record<string, string>, body: Buffer | string) => {
  const response = await ingress.app.inject({
    method: 'POST',
    url,
    headers: { 'Content-Type': 'application/json', ...headers },
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

const storedTypes = async (source: string) =>
  (
    await ingress.env.db.rows<{ event_type: string }>(
      'select event_type from webhook_events where source = $1 order by id',
      [source],
    )
  ).map((row) => row.event_type);

describe('one body under several topics', () => {
  const order = fixture('shopify-orders-create.json');
  const shopify = (topic: string, eventId: string) =>
    post(
      '/webhooks/shop',
      {
        'X-Shopify-Hmac-Sha256': shopifySignature(SHOPIFY_SECRET, order),
        'X-Shopify-Topic': topic,
        'X-Shopify-Event-Id': eventId,
      },
      order,
    );

  it('stores a Shopify order sent to orders/create, orders/updated and orders/paid three times', async () => {
    const fresh = { received: true, duplicate: false };
    expect(await shopify('orders/create', 'evt-create')).toEqual(fresh);
    expect(await shopify('orders/updated', 'evt-updated')).toEqual(fresh);
    expect(await shopify('orders/paid', 'evt-paid')).toEqual(fresh);
    expect(await storedTypes('shop')).toEqual(['orders/create', 'orders/updated', 'orders/paid']);
  });

  it('still catches a delivery of one topic replayed under a new event ID', async () => {
    expect(await shopify('orders/paid', 'evt-paid-replayed')).toEqual({
      received: true,
      duplicate: true,
    });
    expect(await storedTypes('shop')).toHaveLength(3);
  });

  it('keeps GitHub events with one body apart by X-GitHub-Event', async () => {
    const body = '{"action":"created","repository":{"id":1}}';
    const github = (event: string, delivery: string) =>
      post(
        '/webhooks/gh',
        {
          'X-Hub-Signature-256': githubSignature(GITHUB_SECRET, body),
          'X-GitHub-Event': event,
          'X-GitHub-Delivery': delivery,
        },
        body,
      );
    expect(await github('star', 'd-star')).toEqual({ received: true, duplicate: false });
    expect(await github('watch', 'd-watch')).toEqual({ received: true, duplicate: false });
    expect(await github('watch', 'd-watch-replayed')).toEqual({ received: true, duplicate: true });
    expect(await storedTypes('gh')).toEqual(['star', 'watch']);
  });
});

describe('a Standard Webhooks body without a type', () => {
  it("stores the spec's own example under the default type", async () => {
    const id = 'msg_without_type';
    const body = '{"test": 2432232314}';
    const now = new Date();
    const answer = await post(
      '/webhooks/replicate',
      {
        'webhook-id': id,
        'webhook-timestamp': String(unixSeconds(now)),
        'webhook-signature': standardWebhooksSignature(STANDARD_SECRET, id, unixSeconds(now), body),
      },
      body,
    );
    expect(answer).toEqual({ received: true, duplicate: false });
    expect(await storedTypes('replicate')).toEqual(['standard-webhooks']);
  });
});

describe('a retry that re-stamps a signed field', () => {
  const linear = (at: Date) => {
    const body = linearBody(at);
    return post(
      '/webhooks/lin',
      {
        'Linear-Signature': linearSignature(LINEAR_SECRET, body),
        'Linear-Delivery': 'lin-delivery-1',
        'Linear-Event': 'Issue',
      },
      body,
    );
  };
  const linearLines = () =>
    lines.filter((line) => line.msg === 'webhook' && line.eventId === 'lin-delivery-1');

  it('acks a Linear retry with a new webhookTimestamp as a duplicate that does not conflict', async () => {
    const sent = new Date();
    expect(await linear(sent)).toEqual({ received: true, duplicate: false });
    expect(await linear(new Date(sent.getTime() + 5_000))).toEqual({
      received: true,
      duplicate: true,
    });
    const [, retry] = linearLines();
    expect(retry).toMatchObject({ duplicate: true, duplicateKey: 'event_id' });
    expect(retry).not.toHaveProperty('conflicting');
    expect(lines.filter((line) => line.storedSha256 !== undefined)).toEqual([]);
  });

  it('still flags a Linear retry whose data changed', async () => {
    const changed = Buffer.from(
      linearBody(new Date()).toString('utf8').replace('"title":', '"title": "changed", "was":'),
    );
    const answer = await post(
      '/webhooks/lin',
      {
        'Linear-Signature': linearSignature(LINEAR_SECRET, changed),
        'Linear-Delivery': 'lin-delivery-1',
        'Linear-Event': 'Issue',
      },
      changed,
    );
    expect(answer).toEqual({ received: true, duplicate: true });
    expect(linearLines().at(-1)).toMatchObject({ conflicting: true });
  });
});
