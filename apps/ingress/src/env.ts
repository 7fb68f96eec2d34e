import {
  adminEnv,
  ConfigError,
  commonEnv,
  parseEnv,
  withOwnAdminPort,
} from '@webhook-inbox/config';
import { DEFAULT_EVENT_LIMITS } from '@webhook-inbox/verify';
import { z } from 'zod';
import { DEFAULT_MAX_CONNECTIONS_PER_CLIENT } from './connection-limit.ts';
import {
  DEFAULT_DEADLINES,
  DEFAULT_INGEST_DEADLINE_MS,
  type ServerDeadlines,
} from './deadlines.ts';
import { loadIngressSources } from './sources.ts';

const milliseconds = (fallback: number) =>
  z.coerce.number().int().positive().max(3_600_000).default(fallback);

const ingressEnv = {
  ...commonEnv,
  ...adminEnv(9464),
  /** The public port providers POST to. Nothing administrative is served on it. */
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Interface to listen on; 0.0.0.0 in a container. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Largest body accepted, in bytes; larger requests get 413 before they are read whole. */
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Deepest nesting of a payload's objects and arrays; deeper is a 400. jsonb fails near 15,000. */
  JSON_MAX_DEPTH: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(DEFAULT_EVENT_LIMITS.maxJsonDepth),
  /**
   * Most events one batched request (SendGrid's array, Adyen's notificationItems[], …) may carry;
   * above it the request is answered 413 and nothing of it is stored.
   */
  BATCH_MAX_EVENTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(DEFAULT_EVENT_LIMITS.maxBatchEvents),
  /** Time to receive a whole request, headers and body; then 408 and the connection is closed. */
  REQUEST_TIMEOUT_MS: milliseconds(DEFAULT_DEADLINES.requestMs),
  /** Time to receive the headers; at most REQUEST_TIMEOUT_MS. */
  HEADERS_TIMEOUT_MS: milliseconds(DEFAULT_DEADLINES.headersMs),
  /** How long an idle keep-alive connection is kept; above a load balancer's idle timeout. */
  KEEP_ALIVE_TIMEOUT_MS: milliseconds(DEFAULT_DEADLINES.keepAliveMs),
  /** A connection with no traffic either way for this long is closed. */
  CONNECTION_TIMEOUT_MS: milliseconds(DEFAULT_DEADLINES.connectionMs),
  /**
   * Connections one client address may hold at once; more are closed unread. Behind a load
   * balancer or proxy every connection comes from its address: raise it above the proxy's pool.
   */
  MAX_CONNECTIONS_PER_CLIENT: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_MAX_CONNECTIONS_PER_CLIENT),
  /**
   * How long a webhook request may wait on Postgres (a lock, an overloaded server) before it is
   * answered 503 with Retry-After; providers give up after 3–30 s. Also Postgres's statement
   * timeout for the ingress, and the bound of /readyz's check.
   */
  INGEST_DEADLINE_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(DEFAULT_INGEST_DEADLINE_MS),
};

export type IngressEnv = z.infer<z.ZodObject<typeof ingressEnv>>;

export function readIngressEnv(env = process.env): IngressEnv {
  const settings = parseEnv(ingressEnv, withOwnAdminPort(env, 'INGRESS'));
  // Node refuses to start a server whose header deadline outlasts its request deadline.
  if (settings.HEADERS_TIMEOUT_MS > settings.REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'invalid environment: HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS',
    );
  }
  return settings;
}

export function deadlinesOf(settings: IngressEnv): ServerDeadlines {
  return {
    requestMs: settings.REQUEST_TIMEOUT_MS,
    headersMs: settings.HEADERS_TIMEOUT_MS,
    keepAliveMs: settings.KEEP_ALIVE_TIMEOUT_MS,
    connectionMs: settings.CONNECTION_TIMEOUT_MS,
  };
}

/** The settings and the sources, whose `env:` secrets come from the same environment. */
export function readIngressConfig(env = process.env) {
  const settings = readIngressEnv(env);
  const limits = {
    maxJsonDepth: settings.JSON_MAX_DEPTH,
    maxBatchEvents: settings.BATCH_MAX_EVENTS,
  };
  return { env: settings, sources: loadIngressSources(settings.SOURCES_FILE, env, limits) };
}
