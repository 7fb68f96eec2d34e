import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import {
  type DeliveryMessage,
  type Destination,
  deliveryId,
  parseDestination,
  parseHostAllowList,
} from '../src/index.ts';

export interface ReceivedRequest {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Date.now() when the request's body had arrived. */
  readonly at: number;
}

export interface LocalServer {
  readonly url: string;
  readonly received: ReceivedRequest[];
}

type Handler = (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>;

const open: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** A real HTTP server on 127.0.0.1 and a free port, closed after the test. */
export async function localServer(handle: Handler): Promise<LocalServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const entry: ReceivedRequest = {
      method: request.method,
      path: request.url,
      headers: flatHeaders(request),
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
    };
    received.push(entry);
    await handle(entry, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received };
}

export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export const LOCAL_HOSTS = parseHostAllowList(['127.0.0.1']);

export function destinationFor(url: string, fields: Record<string, unknown> = {}): Destination {
  return parseDestination({ name: 'receiver', url, secret: newSecret(), ...fields }, LOCAL_HOSTS);
}

let sequence = 0;

export function message(fields: Partial<DeliveryMessage> = {}): DeliveryMessage {
  sequence += 1;
  const eventId = fields.eventId ?? `evt_${sequence}`;
  return {
    webhookId: deliveryId('payments', eventId, 'receiver'),
    source: 'payments',
    eventId,
    type: 'payment.succeeded',
    receivedAt: new Date('2026-01-02T03:04:05.000Z'),
    payload: { id: eventId, amount: 4900 },
    headers: { 'content-type': 'application/json', 'x-request-id': `req_${sequence}` },
    ...fields,
  };
}
