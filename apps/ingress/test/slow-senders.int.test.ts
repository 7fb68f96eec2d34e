import { STACK_SECRET, sendPayment, TestStack } from '@webhook-inbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRaw, rawExchange } from './raw-http.ts';

// A real ingress process with short deadlines: what is bounded here is sockets and time, which
// only a real server on a real port has.

const REQUEST_TIMEOUT_MS = 1_500;
const HEADERS_TIMEOUT_MS = 1_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_000;
/**
 * How late a deadline may be enforced: Node looks for overdue requests twice per header
 * deadline, and this machine's cores are shared with other test runs.
 */
const SLACK_MS = 2_500;

let stack: TestStack;
let port: number;
let url: string;

beforeAll(async () => {
  stack = await TestStack.create();
  const ingress = await stack.startIngress({
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
  });
  url = ingress.url;
  port = Number(new URL(url).port);
});
afterAll(async () => {
  await stack?.stop();
});

const headersOf = (length: number, signature = 'X-Signature: 00\r\n') =>
  'POST /webhooks/payments HTTP/1.1\r\nHost: ingress\r\nContent-Type: application/json\r\n' +
  `${signature}Content-Length: ${length}\r\n\r\n`;

const TIMED_OUT = {
  status: 408,
  body: { error: 'request timeout: send the whole request sooner' },
};

/** A 408 in our shape, or a closed socket: either way the connection is freed. */
function expectTimedOut(response: string) {
  if (response !== '') expect(parseRaw(response)).toEqual(TIMED_OUT);
}

describe('slow senders', { timeout: 60_000 }, () => {
  it('a body trickled byte by byte gets 408 and its connection closed at the request deadline', async () => {
    const { response, closedAfterMs } = await rawExchange(port, headersOf(10_000), { drip: '{' });
    expectTimedOut(response);
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
  });

  it('a request with no signature header gets its 401 before its body is read', async () => {
    const { response, answeredAfterMs } = await rawExchange(port, headersOf(1_000_000, ''), {
      drip: '{',
      giveUpMs: REQUEST_TIMEOUT_MS + SLACK_MS,
    });
    // Node goes on reading (and dropping) the body after the answer, so a 408 may follow it.
    const firstAnswer = response.slice(0, response.indexOf('}') + 1);
    expect(parseRaw(firstAnswer)).toEqual({
      status: 401,
      body: { error: 'signature verification failed' },
    });
    expect(answeredAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS - 500);
  });

  it('headers that never end get 408 at the header deadline', async () => {
    const { response, closedAfterMs } = await rawExchange(
      port,
      'POST /webhooks/payments HTTP/1.1\r\n',
      { drip: 'X-Padding: 1\r\n' },
    );
    expectTimedOut(response);
    expect(closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  });

  it('a connection that sends nothing is closed at the header deadline', async () => {
    const { response, closedAfterMs } = await rawExchange(port, '');
    expectTimedOut(response);
    expect(closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  });

  it('an idle keep-alive connection is closed after the keep-alive deadline', async () => {
    const { response, closedAfterMs } = await rawExchange(
      port,
      'GET /healthz HTTP/1.1\r\nHost: ingress\r\n\r\n',
    );
    expect(parseRaw(response)).toEqual({ status: 200, body: { ok: true } });
    // Node keeps an idle connection up to a second past its keep-alive timeout.
    expect(closedAfterMs).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + 1_000 + SLACK_MS);
  });

  it('a hundred trickling senders do not stop a good request, and are all let go', async () => {
    const tricklers = Array.from({ length: 100 }, () =>
      rawExchange(port, headersOf(10_000), { drip: ' ', everyMs: 200 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const good = await sendPayment(url, STACK_SECRET, {
      eventId: 'evt_past_the_tricklers',
      customer: 'cus_1',
      amount: 1,
    });
    expect(good.status).toBe(200);

    const finished = await Promise.all(tricklers);
    for (const { response, closedAfterMs } of finished) {
      expectTimedOut(response);
      expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    }
  });
});

describe('requests Node refuses before Fastify sees them', { timeout: 30_000 }, () => {
  it.each([
    [
      'headers over 16 KB',
      `GET /healthz HTTP/1.1\r\nHost: ingress\r\nX-Big: ${'echo'.repeat(5_000)}\r\n\r\n`,
      431,
      'request headers too large',
    ],
    ['a request line that is not HTTP', 'HELLO echo\r\n\r\n', 400, 'bad request'],
    [
      'a URL that is not valid percent-encoding',
      'GET /webhooks/echo%E0%A4%A HTTP/1.1\r\nHost: ingress\r\n\r\n',
      400,
      'bad request',
    ],
    [
      'a source name longer than any route takes',
      `POST /webhooks/${'echo'.repeat(50)} HTTP/1.1\r\nHost: ingress\r\nContent-Length: 0\r\n\r\n`,
      414,
      'URL too long',
    ],
  ])(
    '%s: its status in the same JSON shape, echoing nothing',
    async (_name, request, status, error) => {
      const { response } = await rawExchange(port, request, { giveUpMs: 500 });
      expect(parseRaw(response)).toEqual({ status, body: { error } });
      expect(response).toMatch(/\r\ncontent-type: application\/json/i);
      expect(response).not.toContain('echo');
    },
  );
});
