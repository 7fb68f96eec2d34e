import { hkdfSync, randomBytes } from 'node:crypto';
import { configOrExit, readSourcesFile } from '@webhook-inbox/config';
import { createDb } from '@webhook-inbox/db';
import { announceReady, stopGracefully } from '@webhook-inbox/lifecycle';
import { createLogger } from '@webhook-inbox/logger';
import { openProducerQueues } from '@webhook-inbox/queue';
import { buildDashboard } from './app.ts';
import {
  type Credentials,
  hashedCredentials,
  oneTimePassword,
  passwordCredentials,
} from './credentials.ts';
import { type DashboardEnv, readDashboardEnv } from './env.ts';

const { env, retryPolicies } = configOrExit('dashboard', () => {
  const env = readDashboardEnv();
  return { env, retryPolicies: readSourcesFile(env.SOURCES_FILE).retryPolicies() };
});
const log = createLogger({ name: 'dashboard', level: env.LOG_LEVEL });

/** The configured operator, or on loopback a one-time password printed below (as Jupyter does). */
function credentialsFrom(settings: DashboardEnv): { credentials: Credentials; generated?: string } {
  if (settings.passwordHash) {
    return { credentials: hashedCredentials(settings.DASHBOARD_USER, settings.passwordHash) };
  }
  if (settings.DASHBOARD_PASSWORD) {
    return {
      credentials: passwordCredentials(settings.DASHBOARD_USER, settings.DASHBOARD_PASSWORD),
    };
  }
  const generated = oneTimePassword();
  return { credentials: passwordCredentials(settings.DASHBOARD_USER, generated), generated };
}

const { credentials, generated } = credentialsFrom(env);
const sessionKey = env.DASHBOARD_SESSION_SECRET
  ? Buffer.from(
      hkdfSync('sha256', env.DASHBOARD_SESSION_SECRET, '', 'webhook-inbox dashboard session', 32),
    )
  : randomBytes(32);

const db = createDb(env.DATABASE_URL, { max: 5 });
const { redis, queue, deliveryQueue } = openProducerQueues(
  env.REDIS_URL,
  env.QUEUE_PREFIX,
  (error, from) => log.warn({ err: error.message }, from),
);

const app = await buildDashboard({
  db,
  queue,
  deliveryQueue,
  redis,
  queuePrefix: env.QUEUE_PREFIX,
  retryPolicies,
  credentials,
  log,
  sessionKey,
  secureCookie: env.DASHBOARD_SECURE_COOKIE,
  apiToken: env.DASHBOARD_API_TOKEN,
});

stopGracefully(log, {
  announce: { message: 'shutting down' },
  async close() {
    await app.close();
    await queue.close();
    await deliveryQueue.close();
    redis.disconnect();
    await db.close();
  },
});

const address = await app.listen({ port: env.DASHBOARD_PORT, host: env.DASHBOARD_HOST });
log.info({ url: address, user: credentials.user }, 'dashboard ready');
announceReady();
if (generated) {
  // Plain text, not a log line: a person reads this once to log in.
  console.log(
    `\n  Dashboard: ${address}/\n  Log in as ${credentials.user} with the one-time password ${generated}\n  (generated because DASHBOARD_PASSWORD is not set; it changes at every start)\n`,
  );
}
