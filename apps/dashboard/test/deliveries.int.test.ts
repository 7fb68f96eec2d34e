import { eventDeliveryDetails } from '@webhook-inbox/inbox';
import { deliveryJobIdFor } from '@webhook-inbox/queue';
import {
  API_TOKEN,
  OperatorClient as Client,
  createTestEnvironment,
  dashboardFor,
  seedDelivery,
  seedRows,
  type TestEnvironment,
} from '@webhook-inbox/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let env: TestEnvironment;
let app: FastifyInstance;
let client: Client;
let rowId: number;

beforeAll(async () => {
  env = await createTestEnvironment();
  app = await dashboardFor(env);
  [rowId] = (await seedRows(env, [{ eventId: 'evt_fanout', status: 'processed' }])) as [number];
  await seedDelivery(env, rowId, {
    destination: 'billing',
    attempts: [
      { statusCode: 503, outcome: 'failed', response: 'upstream <b>down</b>', secondsAgo: 30 },
      { outcome: 'failed', error: 'connect ECONNREFUSED', latencyMs: 3, secondsAgo: 10 },
    ],
    nextAttemptAt: new Date(Date.now() + 90_000),
  });
  await seedDelivery(env, rowId, {
    destination: 'ledger',
    attempts: [{ statusCode: 410, outcome: 'disabled', response: 'gone for good' }],
  });
  await seedDelivery(env, rowId, {
    destination: 'search',
    attempts: [{ statusCode: 200, outcome: 'delivered', latencyMs: 41 }],
  });
  client = new Client(app);
  await client.logIn();
});
afterAll(async () => {
  await app.close();
  await env.cleanup();
});

/** The part of the event page about one destination. */
function deliverySection(page: string, destination: string): string {
  const start = page.indexOf(`data-destination="${destination}"`);
  if (start < 0) throw new Error(`no delivery to ${destination} on the page`);
  return page.slice(start, page.indexOf('</section>', start));
}

describe("an event's deliveries on its page", () => {
  it('shows each destination with its state, attempts, last answer, next attempt and error', async () => {
    const page = await client.get(`/events/${rowId}`);
    expect(page.statusCode).toBe(200);
    const billing = deliverySection(page.body, 'billing');
    expect(billing).toContain('data-testid="delivery-status">failed<');
    expect(billing).toMatch(/<th>Attempts<\/th><td>2<\/td>/);
    expect(billing).toContain('no answer');
    expect(billing).toMatch(
      /<th>Next attempt<\/th><td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ <span class="muted">in 1 min [23]\d s/,
    );
    expect(billing).toContain('connect ECONNREFUSED');
    // Each attempt, oldest first, with the response as text, never as markup.
    const attempts = billing.slice(billing.indexOf('data-testid="delivery-attempts"'));
    expect(attempts.indexOf('HTTP 503')).toBeGreaterThan(0);
    expect(attempts.indexOf('HTTP 503')).toBeLessThan(attempts.indexOf('ECONNREFUSED'));
    expect(billing).toContain('upstream &lt;b&gt;down&lt;/b&gt;');
    expect(billing).not.toContain('<b>down</b>');

    const search = deliverySection(page.body, 'search');
    expect(search).toContain('>delivered<');
    expect(search).toContain('HTTP 200');
    expect(search).toContain('41 ms');
    expect(search).not.toContain('Next attempt');
    expect(search).not.toContain('/enable"');
  });

  it('offers Enable only for a destination a 410 disabled', async () => {
    const page = (await client.get(`/events/${rowId}`)).body;
    const ledger = deliverySection(page, 'ledger');
    expect(ledger).toContain('>disabled<');
    expect(ledger).toContain(`action="/events/${rowId}/deliveries/ledger/enable"`);
    expect(deliverySection(page, 'billing')).not.toContain('/enable"');
  });

  it('says so when an event goes to no destination', async () => {
    const [plain] = (await seedRows(env, [{ eventId: 'evt_plain' }])) as [number];
    expect((await client.get(`/events/${plain}`)).body).toContain(
      'No HTTP destination takes this event.',
    );
  });
});

describe('enabling a destination from the console', () => {
  it('refuses a form without the CSRF token', async () => {
    const response = await client.postForm(`/events/${rowId}/deliveries/ledger/enable`, {});
    expect(response.statusCode).toBe(403);
    expect((await eventDeliveryDetails(env.db, rowId))[1]?.status).toBe('disabled');
  });

  it('refuses a logged-out caller', async () => {
    const stranger = new Client(app);
    const response = await stranger.postForm(`/events/${rowId}/deliveries/ledger/enable`, {
      _csrf: 'made-up',
    });
    expect(response.statusCode).toBe(401);
    expect((await eventDeliveryDetails(env.db, rowId))[1]?.status).toBe('disabled');
  });

  it('refuses a destination name the sources file could not hold', async () => {
    const csrf = await client.csrfFrom(`/events/${rowId}`);
    const response = await client.postForm(`/events/${rowId}/deliveries/Not%20A%20Name/enable`, {
      _csrf: csrf,
    });
    expect(response.statusCode).toBe(400);
  });

  it('enables it, resumes the delivery it refused, and says so on the event page', async () => {
    const csrf = await client.csrfFrom(`/events/${rowId}`);
    const response = await client.postForm(`/events/${rowId}/deliveries/ledger/enable`, {
      _csrf: csrf,
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/events/${rowId}`);
    const page = (await client.get(`/events/${rowId}`)).body;
    expect(page).toContain('Enabled ledger: 1 delivery it refused is queued again.');
    const ledger = deliverySection(page, 'ledger');
    expect(ledger).toContain('>pending<');
    expect(ledger).not.toContain('/enable"');
    expect(await env.deliveryQueue.getJobState(deliveryJobIdFor(rowId, 'ledger'))).toBe('waiting');
  });

  it('answers 409 for a destination that is not disabled', async () => {
    const csrf = await client.csrfFrom(`/events/${rowId}`);
    const response = await client.postForm(`/events/${rowId}/deliveries/search/enable`, {
      _csrf: csrf,
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('search is not disabled: there is nothing to enable.');
  });

  it('answers 404 for an event that does not exist', async () => {
    const csrf = await client.csrfFrom(`/events/${rowId}`);
    const response = await client.postForm('/events/987654/deliveries/ledger/enable', {
      _csrf: csrf,
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('deliveries through the API', () => {
  const api = (method: 'GET' | 'POST', url: string) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${API_TOKEN}` } });

  it("lists an event's deliveries with its attempts", async () => {
    const response = await api('GET', `/api/events/${rowId}`);
    expect(response.statusCode).toBe(200);
    const { deliveries } = response.json();
    expect(deliveries.map((d: { destination: string }) => d.destination)).toEqual([
      'billing',
      'ledger',
      'search',
    ]);
    expect(deliveries[0].history).toHaveLength(2);
  });

  it('enables a disabled destination by source and name, and answers 409 when it is not', async () => {
    const [gone] = (await seedRows(env, [{ eventId: 'evt_api_gone', status: 'processed' }])) as [
      number,
    ];
    await seedDelivery(env, gone, {
      destination: 'archive',
      attempts: [{ statusCode: 410, outcome: 'disabled' }],
    });
    const enabled = await api('POST', '/api/destinations/payments/archive/enable');
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json()).toEqual({
      ok: true,
      message: 'Enabled archive: 1 delivery it refused is queued again.',
      resumed: 1,
    });
    const again = await api('POST', '/api/destinations/payments/archive/enable');
    expect(again.statusCode).toBe(409);
    expect((await api('POST', '/api/destinations/payments/Bad!/enable')).statusCode).toBe(400);
    const anonymous = await app.inject({
      method: 'POST',
      url: '/api/destinations/payments/archive/enable',
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('sending a dead delivery again from the console', () => {
  let processed: number;

  beforeAll(async () => {
    [processed] = (await seedRows(env, [{ eventId: 'evt_redeliver', status: 'processed' }])) as [
      number,
    ];
    await seedDelivery(env, processed, {
      destination: 'crm',
      attempts: [
        { statusCode: 500, outcome: 'failed' },
        { statusCode: 500, outcome: 'dead' },
      ],
    });
    await seedDelivery(env, processed, {
      destination: 'search',
      attempts: [{ statusCode: 200, outcome: 'delivered' }],
    });
  });

  it('offers Send again only for a dead delivery', async () => {
    const page = (await client.get(`/events/${processed}`)).body;
    expect(deliverySection(page, 'crm')).toContain(
      `action="/events/${processed}/deliveries/crm/redeliver"`,
    );
    expect(deliverySection(page, 'search')).not.toContain('/redeliver"');
  });

  it('sends it again with a fresh start, and refuses a delivered one with the reason', async () => {
    const csrf = await client.csrfFrom(`/events/${processed}`);
    const refused = await client.postForm(`/events/${processed}/deliveries/search/redeliver`, {
      _csrf: csrf,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain(
      'Cannot send a delivered delivery again: it was delivered: the destination has it.',
    );
    const sent = await client.postForm(`/events/${processed}/deliveries/crm/redeliver`, {
      _csrf: csrf,
    });
    expect(sent.statusCode).toBe(303);
    const page = (await client.get(`/events/${processed}`)).body;
    expect(page).toContain('Sending it to crm again');
    expect(deliverySection(page, 'crm')).toContain('>pending<');
    expect(await env.deliveryQueue.getJobState(deliveryJobIdFor(processed, 'crm'))).toBe('waiting');
    // The event itself is untouched: its handlers do not run again.
    expect(page).toContain('data-testid="event-status">processed<');
  });

  it('answers through the API too', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/events/${processed}/deliveries/nope/redeliver`,
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ ok: false, message: 'This event has no delivery to nope.' });
  });
});
