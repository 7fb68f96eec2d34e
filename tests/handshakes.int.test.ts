import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webhookEvents } from '@webhook-inbox/db';
import { SAMPLE_KEYS } from '@webhook-inbox/signing';
import { ingressPerFile, PAYMENTS_SECRET, sourcesFrom } from '@webhook-inbox/testing';
import { eq, sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  META_VERIFY_TOKEN,
  TWITCH_MESSAGE_ID,
  twitchHeaders,
  zoomHeaders,
} from '../packages/verify/test/cases/handshake-providers.ts';
import { fixture } from '../packages/verify/test/support.ts';
import { runCli } from './cli-process.ts';

const ZOOM = 'zoom-secret-token-of-the-app';
const TWITCH = 'twitch-eventsub-secret-0123456789';
const OKTA = 'okta-event-hook-secret-0123456789';
const GRAPH = 'graph-client-state-0123456789abcdef';

const ENTRIES = [
  { name: 'payments', provider: 'hmac', secret: PAYMENTS_SECRET },
  { name: 'zoom', provider: 'zoom', secret: ZOOM },
  { name: 'twitch', provider: 'twitch', secret: TWITCH },
  {
    name: 'meta',
    provider: 'meta',
    secret: 'meta-app-secret-0123456789abcdef',
    options: { verifyToken: META_VERIFY_TOKEN },
  },
  { name: 'dropbox', provider: 'dropbox', secret: 'dropbox-app-secret-0123456789' },
  { name: 'graph', provider: 'microsoft-graph', secret: GRAPH },
  { name: 'okta', provider: 'okta', secret: OKTA },
  { name: 'slack', provider: 'slack', secret: 'slack-signing-secret-0123456789' },
  { name: 'shop', provider: 'woocommerce', secret: 'woocommerce-secret-0123456789' },
  { name: 'discord', provider: 'discord', secret: SAMPLE_KEYS.discord.configured },
  { name: 'grid', provider: 'azure-event-grid', secret: 'event-grid-key-0123456789' },
];

const ingress = ingressPerFile(() => ({ sources: sourcesFrom(ENTRIES) }));

async function storedCount() {
  const [row] = await ingress.env.db.select({ n: sql<number>`count(*)::int` }).from(webhookEvents);
  return row?.n ?? 0;
}

/** Sends a request and checks that it left no row and no job behind. */
async function sendStoringNothing(request: InjectOptions) {
  const rows = await storedCount();
  const jobs = await ingress.env.queue.count();
  const response = await ingress.app.inject(request);
  expect(await storedCount()).toBe(rows);
  expect(await ingress.env.queue.count()).toBe(jobs);
  return response;
}

const zoomValidation = fixture('zoom-url_validation.json');
const twitchVerification = fixture('twitch-webhook_callback_verification.json');
const graphToken = 'Validation: Testing client application reachability for subscription';

const HANDSHAKES: Array<{
  label: string;
  request: () => InjectOptions;
  contentType: RegExp;
  body: string;
}> = [
  {
    label: "zoom's endpoint.url_validation",
    request: () => ({
      method: 'POST',
      url: '/webhooks/zoom',
      headers: zoomHeaders(ZOOM, new Date(), zoomValidation),
      payload: zoomValidation,
    }),
    contentType: /^application\/json/,
    body: JSON.stringify({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      // As Zoom's documentation computes it: hex HMAC-SHA256 of the plain token, secret token as key.
      encryptedToken: createHmac('sha256', ZOOM).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
    }),
  },
  {
    label: "twitch's webhook_callback_verification",
    request: () => ({
      method: 'POST',
      url: '/webhooks/twitch',
      headers: twitchHeaders(
        TWITCH,
        new Date(),
        twitchVerification,
        'webhook_callback_verification',
      ),
      payload: twitchVerification,
    }),
    contentType: /^text\/plain/,
    body: 'pogchamp-kappa-360noscope-vohiyo',
  },
  {
    label: "meta's GET hub.challenge",
    request: () => ({
      method: 'GET',
      url: `/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${META_VERIFY_TOKEN}`,
    }),
    contentType: /^text\/plain/,
    body: '1158201444',
  },
  {
    label: "dropbox's GET challenge",
    request: () => ({ method: 'GET', url: '/webhooks/dropbox?challenge=a1b2c3d4' }),
    contentType: /^text\/plain/,
    body: 'a1b2c3d4',
  },
  {
    label: "microsoft graph's validationToken",
    request: () => ({
      method: 'POST',
      url: `/webhooks/graph?validationToken=${encodeURIComponent(graphToken)}`,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      payload: '',
    }),
    contentType: /^text\/plain/,
    body: graphToken,
  },
  {
    label: "microsoft graph's validationToken, with no body at all",
    request: () => ({
      method: 'POST',
      url: `/webhooks/graph?validationToken=${encodeURIComponent(graphToken)}`,
    }),
    contentType: /^text\/plain/,
    body: graphToken,
  },
  {
    label: "okta's verification challenge",
    request: () => ({
      method: 'GET',
      url: '/webhooks/okta',
      headers: {
        'x-okta-verification-challenge': 'rVBAlYx9BZqhRLhFJaN4oYqhT2rZ',
        authorization: OKTA,
      },
    }),
    contentType: /^application\/json/,
    body: '{"verification":"rVBAlYx9BZqhRLhFJaN4oYqhT2rZ"}',
  },
  {
    label: "woocommerce's save-time ping",
    request: () => ({
      method: 'POST',
      url: '/webhooks/shop',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'webhook_id=17',
    }),
    contentType: /^application\/json/,
    body: '{}',
  },
];

describe('handshakes, answered and never stored', () => {
  it.each(HANDSHAKES)('$label is answered exactly as the provider expects', async (h) => {
    const response = await sendStoringNothing(h.request());
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(h.contentType);
    expect(response.body).toBe(h.body);
    if (h.contentType.source.includes('text')) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it.each([
    {
      label: 'zoom, signed with another secret',
      status: 401,
      request: {
        method: 'POST',
        url: '/webhooks/zoom',
        headers: zoomHeaders('not-the-secret-token', new Date(), zoomValidation),
        payload: zoomValidation,
      },
    },
    {
      label: 'twitch, signed with another secret',
      status: 401,
      request: {
        method: 'POST',
        url: '/webhooks/twitch',
        headers: twitchHeaders(
          'not-the-eventsub-secret',
          new Date(),
          twitchVerification,
          'webhook_callback_verification',
        ),
        payload: twitchVerification,
      },
    },
    {
      label: 'meta, with a wrong verify token',
      status: 403,
      request: {
        method: 'GET',
        url: '/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess',
      },
    },
    {
      label: 'okta, with a wrong hook header',
      status: 401,
      request: {
        method: 'GET',
        url: '/webhooks/okta',
        headers: {
          'x-okta-verification-challenge': 'rVBAlYx9BZqhRLhFJaN4oYqhT2rZ',
          authorization: 'guess',
        },
      },
    },
  ] satisfies Array<{ label: string; status: number; request: InjectOptions }>)(
    '$label: a short JSON $status, nothing stored, the challenge not echoed',
    async ({ status, request }) => {
      const response = await sendStoringNothing(request);
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(response.json())).toEqual(['error']);
      for (const echoed of ['qgg8vlvZRS6UYooatFL8Aw', 'pogchamp', '1158201444', 'rVBAlYx9']) {
        expect(response.body).not.toContain(echoed);
      }
    },
  );
});

describe('GET on /webhooks/:source', () => {
  it.each(['payments', 'zoom', 'twitch', 'graph', 'no-such-source'])(
    '%s: no GET handshake, so 405 with Allow: POST',
    async (source) => {
      const response = await sendStoringNothing({
        method: 'GET',
        url: `/webhooks/${source}?challenge=x`,
      });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('POST');
      expect(response.json()).toEqual({ error: 'method not allowed' });
    },
  );

  it.each(['meta', 'dropbox', 'okta'])(
    '%s: other methods are told GET and POST',
    async (source) => {
      for (const method of ['PUT', 'DELETE', 'HEAD'] as const) {
        const response = await ingress.app.inject({ method, url: `/webhooks/${source}` });
        expect(response.statusCode).toBe(405);
        expect(response.headers.allow).toBe('GET, POST');
      }
    },
  );
});

describe('microsoft graph notifications', () => {
  const notification = (clientState: string) =>
    fixture('microsoft-graph-created.json').toString('utf8').replace('CLIENT_STATE', clientState);
  const post = (payload: string) =>
    ingress.app.inject({
      method: 'POST',
      url: '/webhooks/graph',
      headers: { 'content-type': 'application/json' },
      payload,
    });

  it('stores a notification once, without its clientState', async () => {
    const first = await post(notification(GRAPH));
    expect(first.statusCode, first.body).toBe(200);
    // Graph sends its notifications as a batch (`value[]`): the answer counts them.
    expect(first.json()).toEqual({ received: true, duplicate: false, events: 1, duplicates: 0 });
    expect((await post(notification(GRAPH))).json()).toEqual({
      received: true,
      duplicate: true,
      events: 1,
      duplicates: 1,
    });
    const rows = await ingress.env.db
      .select({ eventType: webhookEvents.eventType, payload: webhookEvents.payload })
      .from(webhookEvents)
      .where(eq(webhookEvents.source, 'graph'));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.eventType).toBe('created');
    expect(JSON.stringify(rows[0]?.payload)).not.toContain(GRAPH);
  });

  it('refuses a wrong clientState with a 401 and stores nothing', async () => {
    const response = await sendStoringNothing({
      method: 'POST',
      url: '/webhooks/graph',
      headers: { 'content-type': 'application/json' },
      payload: notification('a-guessed-client-state'),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'signature verification failed' });
  });
});

describe('a twitch revocation', () => {
  it('is stored as an event of its own type', async () => {
    const body = fixture('twitch-revocation.json');
    const response = await ingress.app.inject({
      method: 'POST',
      url: '/webhooks/twitch',
      headers: twitchHeaders(TWITCH, new Date(), body, 'revocation'),
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(200);
    const [row] = await ingress.env.db
      .select({ eventId: webhookEvents.eventId, eventType: webhookEvents.eventType })
      .from(webhookEvents)
      .where(eq(webhookEvents.source, 'twitch'));
    expect(row).toEqual({ eventId: TWITCH_MESSAGE_ID, eventType: 'revocation' });
  });
});

describe('webhook-inbox send --handshake', () => {
  let url: string;
  let sourcesFile: string;

  beforeAll(async () => {
    url = await ingress.app.listen({ port: 0, host: '127.0.0.1' });
    sourcesFile = join(mkdtempSync(join(tmpdir(), 'wi-handshakes-')), 'sources.json');
    writeFileSync(sourcesFile, JSON.stringify(ENTRIES));
  });

  it.concurrent.each([
    ['zoom', expect.objectContaining({ encryptedToken: expect.stringMatching(/^[0-9a-f]{64}$/) })],
    ['twitch', expect.stringMatching(/^pogchamp-kappa-/)],
    ['meta', expect.stringMatching(/^\d+$/)],
    ['dropbox', expect.stringMatching(/^[0-9a-f]{32}$/)],
    ['graph', expect.stringMatching(/^Validation: /)],
    ['okta', { verification: expect.stringMatching(/^[0-9a-f]{32}$/) }],
    ['slack', { challenge: expect.stringMatching(/^[0-9a-f]{48}$/) }],
    ['shop', {}],
    ['discord', { type: 1 }],
    ['grid', { validationResponse: expect.stringMatching(/^[0-9a-f-]{36}$/) }],
  ])(
    '%s: the ingress answers the handshake send makes',
    async (source, answer) => {
      const run = await runCli(['send', source, '--handshake', '--url', url, '--json'], {
        SOURCES_FILE: sourcesFile,
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject([{ status: 200, answer }]);
    },
    60_000,
  );

  it('says so for a provider that sends no handshake', async () => {
    const run = await runCli(['send', 'payments', '--handshake', '--url', url], {
      SOURCES_FILE: sourcesFile,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/provider "hmac" sends no handshake/);
  });
});
