import { randomBytes } from 'node:crypto';
import { createLogger } from '@webhook-inbox/logger';
import type { TestEnvironment } from '@webhook-inbox/testing';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildDashboard, type DashboardDeps } from '../src/app.ts';
import { passwordCredentials } from '../src/credentials.ts';

export const USER = 'operator';
export const PASSWORD = 'correct horse battery staple';
export const API_TOKEN = 'test-api-token-0123456789abcdef-0123456789';

export function dashboardFor(
  env: TestEnvironment,
  overrides: Partial<DashboardDeps> = {},
): Promise<FastifyInstance> {
  return buildDashboard({
    db: env.db,
    queue: env.queue,
    redis: env.redis,
    queuePrefix: env.queuePrefix,
    retryPolicies: new Map([['payments', { attempts: 3, backoffMs: 50 }]]),
    credentials: passwordCredentials(USER, PASSWORD),
    log: createLogger({ name: 'dashboard-test', level: 'silent' }),
    sessionKey: randomBytes(32),
    secureCookie: false,
    apiToken: API_TOKEN,
    ...overrides,
  });
}

/** A browser in miniature: keeps the session cookie between requests and reads CSRF tokens. */
export class Client {
  #cookie = '';

  constructor(private readonly app: FastifyInstance) {}

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const headers = {
      ...(options.headers ?? {}),
      ...(this.#cookie ? { cookie: this.#cookie } : {}),
    };
    const response = await this.app.inject({ ...options, headers });
    const set = response.cookies.find((cookie) => cookie.name === 'wi_session');
    if (set) this.#cookie = set.value ? `wi_session=${encodeURIComponent(set.value)}` : '';
    return response;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }

  /** The CSRF token of the page at `url`, as its forms carry it. */
  async csrfFrom(url: string): Promise<string> {
    const page = await this.get(url);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no CSRF token on ${url} (${page.statusCode})`);
    return token;
  }

  async postForm(url: string, fields: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
    }
    return this.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  }

  async logIn(user = USER, password = PASSWORD) {
    const csrf = await this.csrfFrom('/login');
    return this.postForm('/login', { _csrf: csrf, user, password });
  }
}
