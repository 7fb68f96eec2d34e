import { randomUUID } from 'node:crypto';
import { SAMPLE_KEYS, sendgridSignature, signedAdyenItem } from '@webhook-inbox/signing';
import { ingressPerFile, sourcesFrom } from '@webhook-inbox/testing';
import { DEFAULT_EVENT_LIMITS } from '@webhook-inbox/verify';
import { describe, expect, it } from 'vitest';

// One request carrying several events becomes one row per event, each deduplicated on its own,
// acked once all are committed; a batch over the deployment's bound stores nothing.

const MAX_EVENTS = 5;
const OKTA_SECRET = 'okta-batch-hook-secret-0123456789';
const ADYEN_KEY = '44782def547aaa06c910c43932b1eb0c71fc68d9d0c057550c48ec2acf6ba056';
const GRID_KEY = 'event-grid-key-0123456789abcdef';
const OTHER_ADYEN_KEY = '0011223344556677889900112233445566778899001122334455667788990011';

const ingress = ingressPerFile(() => ({
  sources: sourcesFrom(
    [
      { name: 'mail', provider: 'sendgrid', secret: SAMPLE_KEYS.sendgrid.configured },
      { name: 'okta', provider: 'okta', secret: OKTA_SECRET },
      { name: 'adyen', provider: 'adyen', secret: ADYEN_KEY },
      {
        name: 'grid',
        provider: 'azure-event-grid',
        secret: GRID_KEY,
        options: { queryParameter: 'code' },
      },
    ],
    { ...DEFAULT_EVENT_LIMITS, maxBatchEvents: MAX_EVENTS },
  ),
}));

const mailEvent = (id: string) => ({ email: 'a@example.com', event: 'delivered', sg_event_id: id });

function sendgrid(events: unknown[]) {
  const body = JSON.stringify(events);
  const timestamp = String(Math.floor(Date.now() / 1000));
  return ingress.app.inject({
    method: 'POST',
    url: '/webhooks/mail',
    headers: {
      'Content-Type': 'application/json',
      'X-Twilio-Email-Event-Webhook-Signature': sendgridSignature(
        SAMPLE_KEYS.sendgrid.privateKey,
        timestamp,
        body,
      ),
      'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
    },
    payload: body,
  });
}

interface Row {
  event_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
}

const rowsOf = (source: string) =>
  ingress.env.db.rows<Row>(
    'select event_id, event_type, payload, headers from webhook_events where source = $1 order by id',
    [source],
  );

describe('a batched body', () => {
  const ids = ['sg-1', 'sg-2', 'sg-3'];

  it('stores N events as N rows, each its own payload, all queued before the ack', async () => {
    const response = await sendgrid(ids.map(mailEvent));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ received: true, duplicate: false, events: 3, duplicates: 0 });
    const rows = await rowsOf('mail');
    expect(rows.map((row) => row.event_id)).toEqual(ids);
    expect(rows.map((row) => row.payload)).toEqual(ids.map(mailEvent));
    expect(rows.every((row) => row.event_type === 'delivered')).toBe(true);
    // Jobs are added before the answer; marking the rows queued may follow it.
    expect(await ingress.env.queue.count()).toBe(3);
  });

  it('stores nothing new for a redelivered batch', async () => {
    const response = await sendgrid(ids.map(mailEvent));
    expect(response.json()).toEqual({ received: true, duplicate: true, events: 3, duplicates: 3 });
    expect(await rowsOf('mail')).toHaveLength(3);
  });

  it('stores only the new events of a batch that overlaps one stored', async () => {
    const response = await sendgrid(['sg-3', 'sg-4', 'sg-5'].map(mailEvent));
    expect(response.json()).toEqual({ received: true, duplicate: false, events: 3, duplicates: 1 });
    expect((await rowsOf('mail')).map((row) => row.event_id)).toEqual([...ids, 'sg-4', 'sg-5']);
  });

  it('answers 413 above BATCH_MAX_EVENTS and stores none of it', async () => {
    const many = Array.from({ length: MAX_EVENTS + 1 }, (_, i) => mailEvent(`over-${i}`));
    const response = await sendgrid(many);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: `the batch holds more than ${MAX_EVENTS} events` });
    expect(await rowsOf('mail')).toHaveLength(5);
  });

  it('refuses the whole batch when one event cannot be named, storing none of it', async () => {
    const response = await sendgrid([mailEvent('sg-6'), { event: 'open' }]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'event 1: event ID missing' });
    expect(await rowsOf('mail')).toHaveLength(5);
  });

  it('refuses a batch whole when Postgres refuses one of its events, storing and queueing none of it', async () => {
    const jobs = await ingress.env.queue.count();
    // jsonb cannot hold \u0000: Postgres refuses the event, not anything the verifier sees.
    const nul = { ...mailEvent('sg-nul'), email: '\u0000' };
    // sg-7 twice: its second delivery in the batch must not be stored on its own either.
    const response = await sendgrid([mailEvent('sg-7'), nul, mailEvent('sg-8'), mailEvent('sg-7')]);
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json())).toEqual(['error']);
    expect(await rowsOf('mail')).toHaveLength(5);
    expect(await ingress.env.queue.count()).toBe(jobs);

    const retried = await sendgrid([mailEvent('sg-7'), mailEvent('sg-8')]);
    expect(retried.json()).toMatchObject({ duplicate: false, events: 2, duplicates: 0 });
  });

  it('acks an empty SendGrid batch with nothing stored', async () => {
    const response = await sendgrid([]);
    expect(response.json()).toEqual({ received: true, duplicate: false, events: 0, duplicates: 0 });
    expect(await rowsOf('mail')).toHaveLength(7);
  });

  it("keeps Okta's envelope beside each event, in a header the handler sees", async () => {
    const uuids = [randomUUID(), randomUUID()];
    const delivery = randomUUID();
    const body = JSON.stringify({
      eventType: 'com.okta.event_hook',
      eventId: delivery,
      data: { events: uuids.map((uuid) => ({ uuid, eventType: 'user.session.start' })) },
    });
    const response = await ingress.app.inject({
      method: 'POST',
      url: '/webhooks/okta',
      headers: { 'Content-Type': 'application/json', Authorization: OKTA_SECRET },
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(200);
    const rows = await rowsOf('okta');
    expect(rows.map((row) => row.event_id)).toEqual(uuids);
    const envelope = JSON.parse(rows[0]?.headers['webhook-inbox-envelope'] ?? '{}');
    expect(envelope).toEqual({ eventType: 'com.okta.event_hook', eventId: delivery });
    expect(rows[0]?.headers).not.toHaveProperty('authorization');
  });

  const payment = (pspReference: string) => ({
    pspReference,
    merchantAccountCode: 'ExampleMerchant',
    merchantReference: `order-${pspReference}`,
    amount: { value: 1130, currency: 'EUR' },
    eventCode: 'AUTHORISATION',
    success: 'true',
  });
  const adyen = (items: unknown[]) =>
    ingress.app.inject({
      method: 'POST',
      url: '/webhooks/adyen',
      headers: { 'Content-Type': 'application/json' },
      payload: JSON.stringify({ live: 'false', notificationItems: items }),
    });

  it('answers Adyen with the text [accepted] once every item is stored', async () => {
    const response = await adyen(
      ['PSP1', 'PSP2'].map((psp) => signedAdyenItem(ADYEN_KEY, payment(psp))),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).toBe('[accepted]');
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect((await rowsOf('adyen')).map((row) => row.event_id)).toEqual([
      'PSP1:AUTHORISATION:true',
      'PSP2:AUTHORISATION:true',
    ]);
    expect((await adyen([signedAdyenItem(ADYEN_KEY, payment('PSP1'))])).body).toBe('[accepted]');
    expect(await rowsOf('adyen')).toHaveLength(2);
  });

  it('refuses an Adyen request with one badly signed item whole, storing none of it', async () => {
    const response = await adyen([
      signedAdyenItem(ADYEN_KEY, payment('PSP3')),
      signedAdyenItem(OTHER_ADYEN_KEY, payment('PSP4')),
    ]);
    expect(response.statusCode).toBe(401);
    expect(await rowsOf('adyen')).toHaveLength(2);
  });

  const grid = (events: unknown[], key = GRID_KEY) =>
    ingress.app.inject({
      method: 'POST',
      url: `/webhooks/grid?code=${encodeURIComponent(key)}`,
      headers: { 'Content-Type': 'application/json' },
      payload: JSON.stringify(events),
    });

  it("answers Event Grid's subscription validation with its code and stores nothing", async () => {
    const validation = {
      id: randomUUID(),
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      data: { validationCode: 'the-validation-code' },
    };
    const response = await grid([validation]);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ validationResponse: 'the-validation-code' });
    expect((await grid([validation], 'wrong-key')).statusCode).toBe(401);
    expect(await rowsOf('grid')).toHaveLength(0);

    const events = [randomUUID(), randomUUID()].map((id) => ({
      id,
      eventType: 'Microsoft.Storage.BlobCreated',
      data: {},
    }));
    expect((await grid(events)).json()).toMatchObject({ events: 2, duplicates: 0 });
    expect((await rowsOf('grid')).map((row) => row.event_id)).toEqual(events.map((e) => e.id));
  });
});
