import { Writable } from 'node:stream';
import { createLogger } from '@webhook-inbox/logger';
import {
  API_TOKEN,
  DASHBOARD_PASSWORD,
  DASHBOARD_USER,
  dashboardFor,
  dashboardPerFile,
  OperatorClient,
} from '@webhook-inbox/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_ATTEMPTS_PER_MINUTE } from '../src/routes/login.ts';
import { WRONG_TOKENS_PER_MINUTE } from '../src/token-failures.ts';

const dashboard = dashboardPerFile();
// Login attempts are limited per app and client: the CSRF tests log in on an app of their own.
let csrfApp: FastifyInstance;

beforeAll(async () => {
  csrfApp = await dashboardFor(dashboard.env);
});
afterAll(() => csrfApp?.close());

describe('login', () => {
  it('sends every page, Bull Board and the API to the login first', async () => {
    const anonymous = new OperatorClient(dashboard.app);
    for (const url of [
      '/',
      '/events',
      '/events/1',
      '/events/replay',
      '/queues',
      '/queues/api/queues',
    ]) {
      const response = await anonymous.get(url);
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    for (const url of ['/api/events', '/api/stats', '/api/events/1']) {
      expect((await anonymous.get(url)).statusCode, url).toBe(401);
    }
    expect((await anonymous.get('/login')).statusCode).toBe(200);
  });

  it('keeps a wrong password out and lets the right one in, with a strict HttpOnly cookie', async () => {
    const client = new OperatorClient(dashboard.app);
    const refused = await client.logIn(DASHBOARD_USER, 'wrong password!');
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toContain('Wrong user name or password.');
    expect((await client.get('/')).statusCode).toBe(303);
    expect((await client.logIn('someone', DASHBOARD_PASSWORD)).statusCode).toBe(401);

    const accepted = await client.logIn();
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/');
    const cookie = String(accepted.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await client.get('/')).statusCode).toBe(200);
    expect((await client.get('/api/stats')).statusCode).toBe(200);
  });

  it('returns to the page asked for, never to another site', async () => {
    const back = await new OperatorClient(dashboard.app).logIn(DASHBOARD_USER, DASHBOARD_PASSWORD, {
      next: '/events?status=dead',
    });
    expect(back.headers.location).toBe('/events?status=dead');
    const away = await new OperatorClient(dashboard.app).logIn(DASHBOARD_USER, DASHBOARD_PASSWORD, {
      next: '//evil.example/',
    });
    expect(away.headers.location).toBe('/');
  });

  it('never returns to another site through a path a browser reads as one', async () => {
    const client = new OperatorClient(dashboard.app);
    await client.logIn();
    for (const next of [
      '/\\evil.example/',
      '/\t/evil.example/',
      '/\n/evil.example/',
      '\\\\evil.example/',
      '/\\/evil.example/',
      'https://evil.example/',
    ]) {
      const response = await client.get(`/login?next=${encodeURIComponent(next)}`);
      expect(response.statusCode, JSON.stringify(next)).toBe(303);
      expect(response.headers.location, JSON.stringify(next)).toBe('/');
    }
    const kept = await client.get(`/login?next=${encodeURIComponent('/events?q=a%20b#top')}`);
    expect(kept.headers.location).toBe('/events?q=a%20b#top');
  });

  it('ends the session on logout', async () => {
    const client = new OperatorClient(dashboard.app);
    await client.logIn();
    const csrf = await client.csrfFrom('/');
    expect((await client.postForm('/logout', { _csrf: csrf })).headers.location).toBe('/login');
    expect((await client.get('/')).statusCode).toBe(303);
  });

  it('rate-limits login attempts per client', async () => {
    const limited = await dashboardFor(dashboard.env);
    try {
      const client = new OperatorClient(limited);
      const statuses: number[] = [];
      for (let i = 0; i <= LOGIN_ATTEMPTS_PER_MINUTE; i += 1) {
        statuses.push((await client.logIn(DASHBOARD_USER, `guess ${i}`)).statusCode);
      }
      expect(statuses.slice(0, LOGIN_ATTEMPTS_PER_MINUTE).every((status) => status === 401)).toBe(
        true,
      );
      expect(statuses.at(-1)).toBe(429);
      // Even the right password waits out the window.
      expect((await client.logIn()).statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('CSRF', () => {
  it('refuses a form post without the token, or with a token from another session', async () => {
    const client = new OperatorClient(csrfApp);
    await client.logIn();
    expect((await client.postForm('/events/1/replay', {})).statusCode).toBe(403);
    const stranger = new OperatorClient(csrfApp);
    const strangersToken = await stranger.csrfFrom('/login');
    expect((await client.postForm('/events/1/replay', { _csrf: strangersToken })).statusCode).toBe(
      403,
    );
    expect(
      (await client.postForm('/login', { user: DASHBOARD_USER, password: DASHBOARD_PASSWORD }))
        .statusCode,
    ).toBe(403);
  });

  it('refuses an API call with the session cookie but without the token', async () => {
    const client = new OperatorClient(csrfApp);
    await client.logIn();
    const response = await client.request({ method: 'POST', url: '/api/events/1/replay' });
    expect(response.statusCode).toBe(403);
    const csrf = await client.csrfFrom('/');
    const withToken = await client.request({
      method: 'POST',
      url: '/api/events/1/replay',
      headers: { 'csrf-token': csrf },
    });
    expect(withToken.statusCode).toBe(404);
  });

  it("accepts Bull Board's own calls only from its own origin", async () => {
    const client = new OperatorClient(csrfApp);
    await client.logIn();
    const url = '/queues/api/queues/webhooks/pause';
    const crossSite = await client.request({
      method: 'PUT',
      url,
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect((await client.request({ method: 'PUT', url })).statusCode).toBe(403);
    const opaque = await client.request({ method: 'PUT', url, headers: { origin: 'null' } });
    expect(opaque.statusCode).toBe(403);
    const sameOrigin = await client.request({
      method: 'PUT',
      url,
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.statusCode).toBe(200);
    expect(await dashboard.env.queue.isPaused()).toBe(true);
    await dashboard.env.queue.resume();
  });
});

describe('API token', () => {
  it('admits automation with the bearer token to /api/ only, without CSRF', async () => {
    const headers = { authorization: `Bearer ${API_TOKEN}` };
    expect(
      (await dashboard.app.inject({ method: 'GET', url: '/api/stats', headers })).statusCode,
    ).toBe(200);
    expect(
      (await dashboard.app.inject({ method: 'POST', url: '/api/events/999/replay', headers }))
        .statusCode,
    ).toBe(404);
    expect((await dashboard.app.inject({ method: 'GET', url: '/', headers })).statusCode).toBe(303);
    const wrong = { authorization: `Bearer ${API_TOKEN.slice(0, -1)}x` };
    expect(
      (await dashboard.app.inject({ method: 'GET', url: '/api/stats', headers: wrong })).statusCode,
    ).toBe(401);
  });

  it('logs wrong tokens without the token and refuses an address that keeps guessing', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const limited = await dashboardFor(dashboard.env, {
      log: createLogger({ name: 'dashboard-test', level: 'warn' }, destination),
    });
    try {
      const guess = 'guessed-token-0123456789abcdef-0123456789';
      const get = (token: string, remoteAddress = '203.0.113.7') =>
        limited.inject({
          method: 'GET',
          url: '/api/stats',
          remoteAddress,
          headers: { authorization: `Bearer ${token}` },
        });
      const statuses: number[] = [];
      for (let i = 0; i <= WRONG_TOKENS_PER_MINUTE; i += 1)
        statuses.push((await get(guess)).statusCode);
      expect(statuses.slice(0, WRONG_TOKENS_PER_MINUTE).every((status) => status === 401)).toBe(
        true,
      );
      expect(statuses.at(-1)).toBe(429);
      // The right token waits out the window too; another address is not held up.
      const blocked = await get(API_TOKEN);
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await get(API_TOKEN, '198.51.100.9')).statusCode).toBe(200);

      const refused = lines
        .map((line) => JSON.parse(line))
        .filter((l) => l.msg === 'dashboard API token refused');
      expect(refused).toHaveLength(WRONG_TOKENS_PER_MINUTE);
      expect(refused[0]).toMatchObject({ ip: '203.0.113.7', path: '/api/stats' });
      expect(lines.join('')).not.toContain(guess);
    } finally {
      await limited.close();
    }
  });
});

describe('security headers', () => {
  it('sets a CSP without inline scripts, and no framing', async () => {
    const response = await dashboard.app.inject({ method: 'GET', url: '/login' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
