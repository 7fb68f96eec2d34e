import type { Database } from '@webhook-inbox/db';
import { type IngressMetrics, requestOutcomeOfError } from '@webhook-inbox/metrics';
import type { DeliveryQueue, WebhookQueue } from '@webhook-inbox/queue';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
} from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
  limitConnectionsPerClient,
} from './connection-limit.ts';
import {
  DEFAULT_DEADLINES,
  DEFAULT_INGEST_DEADLINE_MS,
  deadlineOptions,
  type ServerDeadlines,
} from './deadlines.ts';
import {
  answerClientError,
  answerFrameworkError,
  ERROR_MESSAGES,
  sendError,
  sendUnavailable,
} from './http-errors.ts';
import { RejectionCounter } from './rejection-counter.ts';
import { healthRoutes } from './routes/health.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { ServedPaths } from './served-paths.ts';
import type { Source } from './sources.ts';

export interface IngressDeps {
  readonly sources: ReadonlyMap<string, Source>;
  readonly db: Database;
  readonly queue: WebhookQueue;
  /** Needed when a source has HTTP destinations: their deliveries' jobs go there. */
  readonly deliveryQueue?: DeliveryQueue;
  readonly redis: Redis;
  readonly log: Logger;
  readonly bodyLimit: number;
  readonly deadlines?: ServerDeadlines;
  /** A request waits at most this long on Postgres before its 503; /readyz as long. */
  readonly ingestDeadlineMs?: number;
  readonly now?: () => Date;
  /** Counted from the same fields as the log line; served on the admin port, never here. */
  readonly metrics?: IngressMetrics;
  /** Connections one client address may hold at once; more are closed unread. */
  readonly maxConnectionsPerClient?: number;
}

export function buildIngress(deps: IngressDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // One line per webhook request is written by the onResponse hook below instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimit,
    ...deadlineOptions(deps.deadlines ?? DEFAULT_DEADLINES),
    // Closing is answered below, in the same shape as every other error.
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
  });
  const served = ServedPaths.collect(app);
  limitConnectionsPerClient(
    app.server,
    deps.maxConnectionsPerClient ?? DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
  );

  // Only the webhook route reads bodies (its own parser); anywhere else a body is left unread,
  // so a JSON body on an unknown path is a 404 like any other, not a parse error.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    return sendUnavailable(reply, 'shutting down, retry later');
  });

  app.decorateRequest('webhook', null);
  app.addHook('onResponse', async (request, reply) => {
    if (!request.webhook) return;
    deps.metrics?.request({
      ...request.webhook,
      outcome: request.webhook.outcome ?? 'unknown',
      status: reply.statusCode,
      seconds: reply.elapsedTime / 1000,
    });
    request.log.info(
      {
        ...request.webhook,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'webhook',
    );
  });

  // Errors say what kind of problem it was, never echo the request, and hide a 5xx's cause.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendError(reply, status, ERROR_MESSAGES[500]);
    }
    if (request.webhook) request.webhook.outcome = requestOutcomeOfError(error.code);
    return sendError(reply, status);
  });
  app.setNotFoundHandler((request, reply) => {
    const allowed = served.methodsAt(request.url.split('?', 1)[0] ?? '');
    if (allowed.length === 0) return sendError(reply, 404);
    reply.header('allow', allowed.join(', '));
    return sendError(reply, 405);
  });

  const ingestDeadlineMs = deps.ingestDeadlineMs ?? DEFAULT_INGEST_DEADLINE_MS;
  app.register(healthRoutes, { db: deps.db, redis: deps.redis, timeoutMs: ingestDeadlineMs });
  const rejections = new RejectionCounter(deps.log, undefined, deps.metrics?.verificationFailure);
  app.addHook('onClose', async () => rejections.stop());
  app.register(webhookRoutes, { ...deps, rejections, ingestDeadlineMs });
  return app;
}
