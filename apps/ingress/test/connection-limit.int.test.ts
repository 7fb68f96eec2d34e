import { createConnection, type Socket } from 'node:net';
import { TestStack } from '@webhook-inbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A real ingress process: what is bounded here is sockets, which only a real port has.

const MAX = 3;
let stack: TestStack;
let port: number;

beforeAll(async () => {
  stack = await TestStack.create();
  const ingress = await stack.startIngress({ MAX_CONNECTIONS_PER_CLIENT: String(MAX) });
  port = Number(new URL(ingress.url).port);
});
afterAll(async () => {
  await stack?.stop();
});

const connect = () =>
  new Promise<Socket>((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.on('error', reject);
  });

/** What the server answers to a health check on `socket`, or '' when it closes it unanswered. */
const healthOn = (socket: Socket) =>
  new Promise<string>((resolve) => {
    let response = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      response += chunk;
      if (response.includes('{"ok":true}')) resolve(response);
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(response));
    socket.write('GET /healthz HTTP/1.1\r\nHost: ingress\r\n\r\n');
  });

describe('connections per client', () => {
  it(`closes a connection beyond ${MAX} from one address unread, and takes one when another ends`, async () => {
    const held = await Promise.all(Array.from({ length: MAX }, connect));
    expect(await healthOn(held[0] as Socket)).toMatch(/^HTTP\/1\.1 200/);

    const startedAt = Date.now();
    expect(await healthOn(await connect())).toBe('');
    expect(Date.now() - startedAt).toBeLessThan(1_000);

    const freed = held.pop() as Socket;
    freed.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const next = await connect();
    expect(await healthOn(next)).toMatch(/^HTTP\/1\.1 200/);
    for (const socket of [...held, next]) socket.destroy();
  });
});
