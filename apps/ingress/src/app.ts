import type { DbClient } from '@webhook-inbox/db';
import type { WebhookQueue } from '@webhook-inbox/queue';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RejectionCounter } from './rejection-counter.ts';
import { healthRoutes } from './routes/health.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import type { Source } from './sources.ts';

export interface WebhookLogFields {
  source: string;
  eventId?: string;
  outcome?: string;
  duplicate?: boolean;
  /** Which unique key made it a duplicate. */
  duplicateKey?: 'event_id' | 'signed_content';
  /** A duplicate by event ID whose body differs from the stored one. */
  conflicting?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Failed verifications by source and reason, logged once a minute. */
    rejections: RejectionCounter;
  }
  interface FastifyRequest {
    /** What the one log line per webhook request reports; null on other routes. */
    webhook: WebhookLogFields | null;
  }
}

export interface IngressDeps {
  readonly sources: ReadonlyMap<string, Source>;
  readonly db: DbClient;
  readonly queue: WebhookQueue;
  readonly redis: Redis;
  readonly log: Logger;
  readonly bodyLimit: number;
  /** A request waits at most this long on Postgres before its 503; /readyz as long. */
  readonly ingestDeadlineMs?: number;
  readonly now?: () => Date;
}

const DEFAULT_INGEST_DEADLINE_MS = 2_000;

export function buildIngress(deps: IngressDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // One line per webhook request is written by the onResponse hook below instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimit,
    return503OnClosing: true,
  });

  app.decorateRequest('webhook', null);
  app.addHook('onResponse', async (request, reply) => {
    if (!request.webhook) return;
    request.log.info(
      {
        ...request.webhook,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'webhook',
    );
  });

  // Client errors keep their (short) message; server errors say nothing of their cause.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ error: 'internal error' });
    }
    if (request.webhook) request.webhook.outcome = error.code ?? 'client_error';
    const message = status === 413 ? 'body too large' : error.message;
    return reply.code(status).send({ error: message });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));

  const ingestDeadlineMs = deps.ingestDeadlineMs ?? DEFAULT_INGEST_DEADLINE_MS;
  app.register(healthRoutes, { db: deps.db, redis: deps.redis, timeoutMs: ingestDeadlineMs });
  const rejections = new RejectionCounter(deps.log);
  app.decorate('rejections', rejections);
  app.addHook('onClose', async () => rejections.stop());
  app.register(webhookRoutes, { ...deps, rejections, ingestDeadlineMs });
  return app;
}
