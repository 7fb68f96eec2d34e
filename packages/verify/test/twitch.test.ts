import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EventSubMiddleware } from '@twurple/eventsub-http';
import type { SignedSample } from '@webhook-inbox/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHandshake, signSample } from '../src/index.ts';
import { fixture, incoming, reasonOf, verifier } from './support.ts';

const SECRET = 'twitch-eventsub-secret-0123456789';
const source = { name: 'twitch', provider: 'twitch', secret: SECRET };

type Handler = (req: IncomingMessage, res: ServerResponse, next: (e?: unknown) => void) => void;

/**
 * Twurple's EventSub middleware, unmanaged (it never calls Twitch's API), mounted on a local
 * server: a request reaches its own signature check and, when that passes, its event handler.
 */
class TwurpleReceiver {
  readonly follows: string[] = [];
  readonly middleware = new EventSubMiddleware({
    managed: false,
    clientId: 'oracle-client-id',
    secret: SECRET,
    hostName: 'hooks.example.com',
    logger: { minLevel: 'critical' },
  });
  readonly subscription = this.middleware.onChannelFollow('1337', '1337', (event) => {
    this.follows.push(event.userId);
  });
  #server: Server | undefined;
  #url = '';

  async start() {
    let handle: Handler | undefined;
    this.middleware.apply({
      post: (path: string, handler: Handler) => {
        if (path === 'event/:id') handle = handler;
      },
      get: () => undefined,
    } as unknown as Parameters<EventSubMiddleware['apply']>[0]);
    this.#server = createServer((req, res) => {
      const id = req.url?.replace(/^\/event\//, '') ?? '';
      Object.assign(req, { params: { id } });
      handle?.(req, res, () => {
        res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as { port: number };
    this.#url = `http://127.0.0.1:${port}/event/${this.subscription.id}`;
  }

  /** The SDK's answer to `request`: its status and body. */
  async receive(request: Pick<SignedSample, 'headers' | 'body'>) {
    const response = await fetch(this.#url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    return { status: response.status, text: await response.text() };
  }

  stop() {
    return new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

const twurple = new TwurpleReceiver();
beforeAll(() => twurple.start());
afterAll(() => twurple.stop());

const ours = (request: Pick<SignedSample, 'headers' | 'body'>, now = new Date()) =>
  verifier('twitch', [SECRET]).verify(
    incoming(
      { headers: request.headers, body: Buffer.from(request.body), url: '/webhooks/twitch' },
      now,
    ),
  );

/** Twitch's documented construction: HMAC-SHA256 of message ID + timestamp + body, hex. */
function signedAsDocumented(body: string, id: string, timestamp: string, secret = SECRET) {
  const hmac = createHmac('sha256', secret)
    .update(id + timestamp + body)
    .digest('hex');
  return {
    headers: {
      'Content-Type': 'application/json',
      'Twitch-Eventsub-Message-Id': id,
      'Twitch-Eventsub-Message-Retry': '0',
      'Twitch-Eventsub-Message-Type': 'notification',
      'Twitch-Eventsub-Message-Timestamp': timestamp,
      'Twitch-Eventsub-Message-Signature': `sha256=${hmac}`,
      'Twitch-Eventsub-Subscription-Type': 'channel.follow',
      'Twitch-Eventsub-Subscription-Version': '2',
    },
    body,
  };
}

describe("twitch agrees with @twurple/eventsub-http's receiver", () => {
  it('the SDK accepts our signed notification and hands its event to the handler', async () => {
    const signed = signSample(source, {}, new Date());
    if (!signed.ok) throw new Error(signed.error);
    const before = twurple.follows.length;
    expect(await twurple.receive(signed.request)).toEqual({ status: 202, text: 'OK' });
    expect(twurple.follows.slice(before)).toEqual(['1234']);
    expect(ours(signed.request)).toMatchObject({
      kind: 'event',
      event: { eventType: 'channel.follow' },
    });
  });

  it('the SDK answers our signed verification with its challenge, as we do', async () => {
    const signed = signHandshake(source, new Date());
    if (!signed.ok) throw new Error(signed.error);
    const { challenge } = JSON.parse(signed.request.body) as { challenge: string };
    expect(await twurple.receive(signed.request)).toEqual({ status: 200, text: challenge });
    expect(twurple.subscription.verified).toBe(true);
    expect(ours(signed.request)).toEqual({ kind: 'respond', body: challenge });
  });

  it('we accept what the documented construction signs, with Twitch nanosecond timestamps', async () => {
    const at = new Date();
    const timestamp = at.toISOString().replace(/Z$/, '634234Z');
    const request = signedAsDocumented(
      fixture('twitch-channel.follow.json').toString('utf8'),
      'befa7b53-d79d-478f-86b9-120f112b044e',
      timestamp,
    );
    expect((await twurple.receive(request)).status).toBe(202);
    expect(ours(request, at)).toMatchObject({
      kind: 'event',
      event: { eventId: 'befa7b53-d79d-478f-86b9-120f112b044e', eventType: 'channel.follow' },
    });
  });

  const body = fixture('twitch-channel.follow.json').toString('utf8');
  const genuine = () => signedAsDocumented(body, 'msg-1', new Date().toISOString());
  const cases: [string, () => ReturnType<typeof signedAsDocumented>][] = [
    [
      'another secret',
      () => signedAsDocumented(body, 'msg-1', new Date().toISOString(), 'x'.repeat(12)),
    ],
    ['a tampered body', () => ({ ...genuine(), body: `${body} ` })],
    [
      'another message ID',
      () => {
        const request = genuine();
        return {
          ...request,
          headers: { ...request.headers, 'Twitch-Eventsub-Message-Id': 'msg-2' },
        };
      },
    ],
    [
      'a signature cut short',
      () => {
        const request = genuine();
        const signature = request.headers['Twitch-Eventsub-Message-Signature'];
        return {
          ...request,
          headers: {
            ...request.headers,
            'Twitch-Eventsub-Message-Signature': signature.slice(0, -2),
          },
        };
      },
    ],
  ];

  it.each(cases)('both refuse %s', async (_label, make) => {
    const request = make();
    expect((await twurple.receive(request)).status).toBe(410);
    expect(reasonOf(ours(request))).not.toBe('event');
  });
});
