import { randomBytes } from 'node:crypto';
import { createLogger } from '@webhook-inbox/logger';
import { ConsoleClient, type TestEnvironment } from '@webhook-inbox/testing';
import type { FastifyInstance } from 'fastify';
import { buildDashboard, type DashboardDeps } from '../src/app.ts';
import { passwordCredentials } from '../src/credentials.ts';

export const DASHBOARD_USER = 'operator';
export const DASHBOARD_PASSWORD = 'correct horse battery staple';
export const API_TOKEN = 'test-api-token-0123456789abcdef-0123456789';

export function dashboardFor(
  env: TestEnvironment,
  overrides: Partial<DashboardDeps> = {},
): Promise<FastifyInstance> {
  return buildDashboard({
    db: env.db,
    queue: env.queue,
    deliveryQueue: env.deliveryQueue,
    redis: env.redis,
    queuePrefix: env.queuePrefix,
    retryPolicies: new Map([['payments', { attempts: 3, backoffMs: 50 }]]),
    credentials: passwordCredentials(DASHBOARD_USER, DASHBOARD_PASSWORD),
    log: createLogger({ name: 'dashboard-test', level: 'silent' }),
    sessionKey: randomBytes(32),
    secureCookie: false,
    apiToken: API_TOKEN,
    ...overrides,
  });
}

/** A logged-out operator who knows this file's credentials. */
export class Client extends ConsoleClient {
  constructor(app: FastifyInstance) {
    super(app, { user: DASHBOARD_USER, password: DASHBOARD_PASSWORD });
  }
}
