import { ingressPerFile } from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';

// Outside the webhook route and the health routes nothing is served, and every answer, whatever
// was sent, is a short JSON error that repeats nothing of the request.

const ingress = ingressPerFile();

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'HEAD';

const BODIES: Array<[string, Record<string, string>, string | undefined]> = [
  ['no body', {}, undefined],
  ['a JSON body', { 'content-type': 'application/json' }, '{"echo":'],
  ['a form body', { 'content-type': 'application/x-www-form-urlencoded' }, 'echo=1'],
  ['a body of no known type', { 'content-type': 'application/x-echo' }, 'echo'],
  ['a multipart body', { 'content-type': 'multipart/form-data; boundary=echo' }, '--echo--'],
];

function send(method: Method, url: string, headers: Record<string, string>, payload?: string) {
  return ingress.app.inject(
    payload === undefined ? { method, url, headers } : { method, url, headers, payload },
  );
}

async function expectError(sending: ReturnType<typeof send>, status: number, error: string) {
  const response = await sending;
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  // A HEAD answer has the headers of the GET answer and no body.
  if (response.body !== '') expect(response.json()).toEqual({ error });
  expect(response.body).not.toContain('echo');
  return response;
}

describe('every other request gets a clean answer', () => {
  const unknownPaths = ['/', '/echo', '/webhooks', '/webhooks/payments/echo', '/queues'];
  const methods: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

  for (const [label, headers, payload] of BODIES) {
    it(`answers 404 on any path nothing is served at, with ${label}`, async () => {
      for (const path of unknownPaths) {
        for (const method of methods) {
          await expectError(send(method, `${path}?echo=1`, headers, payload), 404, 'not found');
        }
      }
    });
  }

  it('answers 405 with Allow for another method on the webhook route', async () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const) {
      for (const [, headers, payload] of BODIES) {
        const response = await expectError(
          send(method, '/webhooks/payments', headers, payload),
          405,
          'method not allowed',
        );
        expect(response.headers.allow).toBe('POST');
      }
    }
  });

  it('answers 405 with Allow for another method on the health routes', async () => {
    for (const path of ['/healthz', '/readyz']) {
      for (const method of ['POST', 'PUT', 'DELETE'] as const) {
        const json = { 'content-type': 'application/json' };
        const response = await expectError(
          send(method, path, json, '{'),
          405,
          'method not allowed',
        );
        expect(response.headers.allow).toBe('GET, HEAD');
      }
    }
  });

  it('answers 413 in the same shape, whatever the body says', async () => {
    // Signed (wrongly: the size limit comes first), or it would be the early 401 instead.
    const headers = { 'content-type': 'application/json', 'x-signature': '00' };
    const body = `{"echo":"${'x'.repeat(70_000)}"}`;
    await expectError(send('POST', '/webhooks/payments', headers, body), 413, 'body too large');
  });

  it('stores nothing for any of them', async () => {
    const [row] = await ingress.env.db.rows<{ n: number }>(
      'select count(*)::int as n from webhook_events',
    );
    expect(row?.n).toBe(0);
  });
});
