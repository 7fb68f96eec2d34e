import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ConfigError } from '@webhook-inbox/config';
import { webhookEvents } from '@webhook-inbox/db';
import { ingressFor, ingressPerFile, sourcesFrom } from '@webhook-inbox/testing';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { isCredentialHeader, signSample } from '../packages/verify/src/index.ts';
import { CASES, type ProviderCase } from '../packages/verify/test/cases/index.ts';
import { slackSignature } from '../packages/verify/test/signers.ts';
import { fixture, type SignedRequest, unixSeconds } from '../packages/verify/test/support.ts';

/** The source a signed request is addressed to: `/webhooks/<source>?…`. */
const sourceOf = (request: SignedRequest) =>
  new URL(request.url, 'http://x').pathname.split('/')[2] ?? '';

/** One source per provider configuration, as a user would write it; rotated secrets for all. */
async function sourcesFileEntries() {
  const entries = new Map<string, unknown>();
  for (const c of CASES) {
    const name = sourceOf(await c.sign(c.secret, new Date()));
    entries.set(name, {
      name,
      provider: c.provider,
      secrets: [c.otherSecret, c.secret],
      options: c.options,
    });
  }
  return [...entries.values()];
}

const ingress = ingressPerFile(async () => ({ sources: sourcesFrom(await sourcesFileEntries()) }));

const post = (request: SignedRequest) =>
  ingress.app.inject({
    method: 'POST',
    url: request.url,
    headers: { ...request.headers },
    payload: request.body,
  });

async function storedRow(source: string, eventId: string) {
  const [row] = await ingress.env.db
    .select({
      eventType: webhookEvents.eventType,
      kind: sql<string>`jsonb_typeof(${webhookEvents.payload})`,
      payload: webhookEvents.payload,
      headers: webhookEvents.headers,
    })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.source, source), eq(webhookEvents.eventId, eventId)));
  return row;
}

async function storedCount() {
  const [row] = await ingress.env.db.select({ n: sql<number>`count(*)::int` }).from(webhookEvents);
  return row?.n;
}

describe('every provider, end to end through the ingress', () => {
  it.each(CASES)(
    '$label: a signed fixture is stored, named, without its signature',
    async (c: ProviderCase) => {
      const request = await c.sign(c.secret, new Date());
      const response = await post(request);
      expect(response.statusCode, response.body).toBe(200);
      // A batched provider's answer also counts the events its request carried.
      expect(response.json()).toMatchObject({ received: true, duplicate: false });

      const row = await storedRow(sourceOf(request), c.expected.eventId);
      expect(row?.eventType).toBe(c.expected.eventType);
      expect(row?.kind).toBe('object');
      const stored = Object.keys(row?.headers ?? {});
      expect(stored).not.toContain(c.signatureHeader.toLowerCase());
      expect(stored).toContain('content-type');
    },
  );

  it('acks a redelivery as a duplicate, even where the ID is the body hash', async () => {
    const lemon = CASES.find((c) => c.provider === 'lemon-squeezy');
    if (!lemon) throw new Error('no lemon-squeezy case');
    const request = await lemon.sign(lemon.secret, new Date());
    expect((await post(request)).json()).toEqual({ received: true, duplicate: true });
  });

  it.each(CASES.filter((c) => c.unsignedIdHeader !== undefined))(
    '$label: a captured request replayed under a new $unsignedIdHeader is a duplicate',
    async (c: ProviderCase) => {
      const signed = await c.sign(c.secret, new Date());
      const withId = (id: string) => ({
        ...signed,
        headers: { ...signed.headers, [c.unsignedIdHeader ?? '']: id },
      });
      // An ID of its own: the fixture's ID is stored already, maybe with other bytes.
      expect((await post(withId(`delivered-${c.label}`))).statusCode).toBe(200);
      const before = await storedCount();
      const response = await post(withId(`replayed-${c.label}`));
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual({ received: true, duplicate: true });
      expect(await storedCount()).toBe(before);
    },
  );

  it('keeps byte-identical deliveries apart where a source turns off the signed-content key', async () => {
    const github = CASES.find((c) => c.label === 'github');
    if (!github) throw new Error('no github case');
    const twins = ingressFor(ingress.env, {
      sources: sourcesFrom([
        {
          name: 'github',
          provider: 'github',
          secret: github.secret,
          options: { dedupeBySignedContent: false },
        },
      ]),
    });
    try {
      const signed = await github.sign(github.secret, new Date());
      // Twin payloads (an org_block sent twice for one user carries no timestamp): one body, two deliveries.
      for (const delivery of ['twin-delivery-1', 'twin-delivery-2']) {
        const response = await twins.inject({
          method: 'POST',
          url: signed.url,
          headers: { ...signed.headers, 'X-GitHub-Delivery': delivery },
          payload: signed.body,
        });
        expect(response.json()).toEqual({ received: true, duplicate: false });
      }
      const rows = await ingress.env.db.rows<{ digest: string | null }>(
        "select signed_content_sha256 as digest from webhook_events where event_id like 'twin-delivery-%'",
      );
      expect(rows).toEqual([{ digest: null }, { digest: null }]);
    } finally {
      await twins.close();
    }
  });

  it("answers Slack's url_verification with its challenge and stores nothing", async () => {
    const body = fixture('slack-url_verification.json');
    const slack = CASES.find((c) => c.provider === 'slack');
    if (!slack) throw new Error('no slack case');
    const now = unixSeconds(new Date());
    const before = await storedCount();
    const jobsBefore = await ingress.env.queue.count();
    const response = await post({
      headers: {
        'Content-Type': 'application/json',
        'X-Slack-Request-Timestamp': String(now),
        'X-Slack-Signature': slackSignature(slack.secret, now, body),
      },
      body,
      url: '/webhooks/slack',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ challenge: JSON.parse(body.toString('utf8')).challenge });
    expect(await storedCount()).toBe(before);
    expect(await ingress.env.queue.count()).toBe(jobsBefore);
  });

  it("stores Twilio's form body as a JSON object of its parameters", async () => {
    const twilio = CASES.find((c) => c.label === 'twilio (form)');
    if (!twilio) throw new Error('no twilio form case');
    const row = await storedRow('twilio', twilio.expected.eventId);
    expect(row?.kind).toBe('object');
    expect(row?.payload).toMatchObject({
      Body: 'Café at 9? 👍',
      From: '+15558675310',
      SmsStatus: 'received',
    });
  });

  it('refuses a forged request for every provider with a 401', async () => {
    for (const c of CASES) {
      const signed = await c.sign(c.credentialOnly ? `${c.secret}-guess` : c.secret, new Date());
      // A signature covers the body, so changing one byte of it is a forgery.
      const forged = c.credentialOnly
        ? signed
        : { ...signed, body: Buffer.concat([signed.body, Buffer.from(' ')]) };
      const response = await post(forged);
      expect(response.statusCode, c.label).toBe(401);
      expect(response.json()).toEqual({ error: 'signature verification failed' });
    }
  });
});

describe('a truncated signature, for every provider that signs', () => {
  /** The request with every credential header it carries cut short by four characters. */
  const truncated = (request: SignedRequest): SignedRequest => ({
    ...request,
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        isCredentialHeader(name) ? value.slice(0, -4) : value,
      ]),
    ),
  });

  it.each(CASES.filter((c) => !c.credentialOnly))(
    '$label: a short JSON 401, nothing stored, nothing queued',
    async (c) => {
      const signed = await c.sign(c.secret, new Date());
      const cut = truncated(signed);
      expect(cut.headers, 'the case carries a credential header to cut').not.toEqual(
        signed.headers,
      );
      const rows = await storedCount();
      const jobs = await ingress.env.queue.count();
      const response = await post(cut);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: 'signature verification failed' });
      expect(await storedCount()).toBe(rows);
      expect(await ingress.env.queue.count()).toBe(jobs);
    },
  );
});

describe('mailgun, whose signature is in the body, end to end', () => {
  const source = { name: 'mailgun', provider: 'mailgun', secret: 'mailgun-signing-key' };
  const sample = (secret: string) => {
    const signed = signSample({ ...source, secret }, { id: 'mg-e2e-1', type: 'delivered' });
    if (!signed.ok) throw new Error(signed.error);
    return { ...signed.request, body: Buffer.from(signed.request.body) };
  };

  it('stores a signed event without its signature, and nothing of a forged one', async () => {
    const mailgun = ingressFor(ingress.env, { sources: sourcesFrom([source]) });
    try {
      const send = (request: ReturnType<typeof sample>) =>
        mailgun.inject({
          method: 'POST',
          url: request.path,
          headers: { ...request.headers },
          payload: request.body,
        });
      const forged = await send(sample('not-the-key'));
      expect(forged.statusCode).toBe(401);
      expect(forged.json()).toEqual({ error: 'signature verification failed' });
      expect(await storedRow('mailgun', 'mg-e2e-1')).toBeUndefined();

      const response = await send(sample(source.secret));
      expect(response.statusCode, response.body).toBe(200);
      const row = await storedRow('mailgun', 'mg-e2e-1');
      expect(row?.eventType).toBe('delivered');
      expect(Object.keys(row?.payload ?? {})).toEqual(['event-data']);
    } finally {
      await mailgun.close();
    }
  });
});

describe('the sources file, for the new providers', () => {
  const loadError = (entries: unknown[]) => {
    try {
      sourcesFrom(entries);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected the sources file to be refused');
  };

  it('names every provider when one is unknown', () => {
    const message = loadError([{ name: 'a', provider: 'stripee', secret: 's' }]);
    expect(message).toMatch(
      /unknown provider "stripee" \(known: .*stripe.*standard-webhooks.*twilio.*square/,
    );
  });

  it('refuses bad options in one line naming the entry and the option', () => {
    expect(loadError([{ name: 'tw', provider: 'twilio', secret: 's' }])).toMatch(
      /entry 0 \("tw"\): options\.publicUrl: /,
    );
    expect(
      loadError([{ name: 'st', provider: 'stripe', secret: 's', options: { tolerance: 5 } }]),
    ).toMatch(/entry 0 \("st"\): options: Unrecognized key: "tolerance"/);
  });

  it('refuses an unusable secret without printing it', () => {
    const message = loadError([
      { name: 'sw', provider: 'standard-webhooks', secret: 'whsec_%%secret%%' },
    ]);
    expect(message).toMatch(/entry 0 \("sw"\): a standard-webhooks secret is/);
    expect(message).not.toContain('%%secret%%');
  });

  it('refuses a public key of the wrong type in one line naming the entry, without printing it', () => {
    const spki = (key: KeyObject, encoding: 'hex' | 'base64') =>
      key.export({ format: 'der', type: 'spki' }).toString(encoding);
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    const ed25519 = generateKeyPairSync('ed25519').publicKey;
    const cases = [
      { provider: 'discord', key: spki(p256, 'hex'), said: /an Ed25519 public key is 32/ },
      { provider: 'telnyx', key: spki(p256, 'base64'), said: /Ed25519/ },
      { provider: 'sendgrid', key: spki(ed25519, 'base64'), said: /ECDSA P-256 key is needed/ },
    ];
    for (const { provider, key, said } of cases) {
      const message = loadError([{ name: 'pk', provider, secret: key }]);
      expect(message, provider).toMatch(/^[^\n]*entry 0 \("pk"\): /);
      expect(message, provider).toMatch(said);
      expect(message, provider).not.toContain(key.slice(8, 40));
    }
  });
});
