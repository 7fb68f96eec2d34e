import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { createDeliverer } from '../src/index.ts';
import { destinationFor, localServer, message, newSecret } from './local-server.ts';

async function acceptingServer() {
  return localServer((_request, response) => {
    response.writeHead(204).end();
  });
}

describe('deliver: signed with Standard Webhooks', () => {
  it('the receiver verifies the body with the standardwebhooks SDK', async () => {
    const server = await acceptingServer();
    const secret = newSecret();
    const event = message({ payload: { id: 'evt_1', amount: 4900, note: 'ünïcode' } });
    await createDeliverer().deliver(destinationFor(server.url, { secret }), event);

    const [request] = server.received;
    if (!request) throw new Error('nothing was delivered');
    expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(event.payload);
    expect(request.headers['webhook-id']).toBe(event.webhookId);
    expect(request.headers['content-type']).toBe('application/json');
    expect(() => new Webhook(newSecret()).verify(request.body, request.headers)).toThrow(
      'No matching signature found',
    );
  });

  it('with two rotated secrets, each verifies on its own', async () => {
    const server = await acceptingServer();
    const [current, next] = [newSecret(), newSecret()];
    const destination = destinationFor(server.url, { secret: undefined, secrets: [current, next] });
    await createDeliverer().deliver(destination, message());

    const [request] = server.received;
    if (!request) throw new Error('nothing was delivered');
    expect(request.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [current, next]) {
      expect(() => new Webhook(secret).verify(request.body, request.headers)).not.toThrow();
    }
  });

  it('every attempt of one event carries the same webhook-id, a fresh signature each', async () => {
    let answered = 0;
    const server = await localServer((_request, response) => {
      answered += 1;
      response.writeHead(answered === 1 ? 503 : 200).end();
    });
    const secret = newSecret();
    const destination = destinationFor(server.url, { secret });
    const event = message();
    const deliverer = createDeliverer();
    await deliverer.deliver(destination, event);
    await deliverer.deliver(destination, event);

    const ids = server.received.map((request) => request.headers['webhook-id']);
    expect(ids).toEqual([event.webhookId, event.webhookId]);
    for (const request of server.received) {
      expect(() => new Webhook(secret).verify(request.body, request.headers)).not.toThrow();
    }
  });

  it('the event envelope wraps the payload with its ID, source, type and receipt time', async () => {
    const server = await acceptingServer();
    const secret = newSecret();
    const event = message({ eventId: 'evt_env' });
    await createDeliverer().deliver(
      destinationFor(server.url, { secret, envelope: 'event' }),
      event,
    );

    const [request] = server.received;
    if (!request) throw new Error('nothing was delivered');
    expect(new Webhook(secret).verify(request.body, request.headers)).toEqual({
      id: 'evt_env',
      source: 'payments',
      type: 'payment.succeeded',
      receivedAt: '2026-01-02T03:04:05.000Z',
      payload: event.payload,
    });
  });

  it('forwards only allow-listed original headers, never credentials or signatures', async () => {
    const server = await acceptingServer();
    const destination = destinationFor(server.url, {
      forwardHeaders: ['X-Request-Id', 'x-github-event'],
    });
    const event = message({
      headers: {
        'x-request-id': 'req_42',
        'x-github-event': 'push',
        'x-other': 'not listed',
        authorization: 'Bearer provider-token',
        cookie: 'session=1',
        'stripe-signature': 't=1,v1=abc',
        'webhook-signature': 'v1,provider-signature',
        'webhook-id': 'msg_provider',
      },
    });
    await createDeliverer().deliver(destination, event);

    const headers = server.received[0]?.headers ?? {};
    expect(headers['x-request-id']).toBe('req_42');
    expect(headers['x-github-event']).toBe('push');
    for (const name of ['x-other', 'authorization', 'cookie', 'stripe-signature']) {
      expect(headers).not.toHaveProperty(name);
    }
    expect(headers['webhook-id']).toBe(event.webhookId);
    expect(headers['webhook-signature']).not.toContain('provider-signature');
  });
});
