import { randomBytes } from 'node:crypto';
import { buildDashboard, type DashboardDeps, passwordCredentials } from '@webhook-inbox/dashboard';
import type { FastifyInstance } from 'fastify';
import { ConsoleClient } from './console-client.ts';
import { silentLog } from './events.ts';
import type { TestEnvironment } from './harness.ts';
import { type AppUnderTest, appPerFile, type SettingsFor, settingsOn } from './per-file.ts';

export const DASHBOARD_USER = 'operator';
export const DASHBOARD_PASSWORD = 'correct horse battery staple';
export const API_TOKEN = 'test-api-token-0123456789abcdef-0123456789';

/** A console on `env`'s database and queue, with these credentials, unless told otherwise. */
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
    log: silentLog,
    sessionKey: randomBytes(32),
    secureCookie: false,
    apiToken: API_TOKEN,
    ...overrides,
  });
}

/** One environment and one console for the calling test file (see `appPerFile`). */
export function dashboardPerFile(
  overrides: SettingsFor<Partial<DashboardDeps>> = {},
): AppUnderTest<FastifyInstance> {
  return appPerFile(async (env) => dashboardFor(env, await settingsOn(overrides, env)));
}

/** A logged-out operator who knows `dashboardFor`'s credentials. */
export class OperatorClient extends ConsoleClient {
  constructor(app: FastifyInstance) {
    super(app, { user: DASHBOARD_USER, password: DASHBOARD_PASSWORD });
  }
}
