import { readFileSync } from 'node:fs';
import type { RetryPolicies } from '@webhook-inbox/config';
import type { Database } from '@webhook-inbox/db';
import type { DeliveryQueue, WebhookQueue } from '@webhook-inbox/queue';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { registerBullBoard } from './bull-board.ts';
import type { Credentials } from './credentials.ts';
import { decorateFilter } from './filter-query.ts';
import { decoratePage } from './page.ts';
import { apiRoutes } from './routes/api.ts';
import { loginRoutes } from './routes/login.ts';
import { pageRoutes } from './routes/pages.ts';
import { registerSecurity } from './security.ts';

export interface DashboardDeps {
  readonly db: Database;
  readonly queue: WebhookQueue;
  /** HTTP destinations' deliveries: a replay or an enable adds their jobs. */
  readonly deliveryQueue: DeliveryQueue;
  /** The queue's connection: job actions are refused at once while it is down. */
  readonly redis: Redis;
  readonly queuePrefix: string;
  readonly retryPolicies: RetryPolicies;
  readonly credentials: Credentials;
  readonly log: Logger;
  /** 32 bytes that encrypt and sign session cookies. */
  readonly sessionKey: Buffer;
  readonly secureCookie: boolean;
  readonly apiToken?: string | undefined;
}

const STYLESHEET = readFileSync(new URL('./assets/console.css', import.meta.url), 'utf8');

/** The operators' console; `inject()` tests it without a port, `main.ts` listens. */
export async function buildDashboard(deps: DashboardDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });

  // Client errors keep their (short) message; server errors say nothing of their cause.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'dashboard request failed');
    const message = status >= 500 ? 'internal error' : error.message;
    return reply.code(status).send({ error: message });
  });

  await registerSecurity(app, deps);
  decoratePage(app);
  decorateFilter(app);

  // Open to anyone: the login form, the stylesheet it uses, and the health check.
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/assets/console.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=300').send(STYLESHEET),
  );

  const inbox = {
    db: deps.db,
    queue: deps.queue,
    deliveryQueue: deps.deliveryQueue,
    redis: deps.redis,
    retryPolicies: deps.retryPolicies,
  };
  await app.register(loginRoutes(deps.credentials));
  // Each sets its own access hooks and not-found handler.
  await app.register(pageRoutes(inbox));
  await app.register(apiRoutes(inbox, deps.apiToken), { prefix: '/api' });
  await registerBullBoard(app, deps.queue, deps.queuePrefix);
  return app;
}
