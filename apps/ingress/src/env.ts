import { commonEnv, parseEnv } from '@webhook-inbox/config';
import { z } from 'zod';
import { loadIngressSources } from './sources.ts';

const ingressEnv = {
  ...commonEnv,
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
  /**
   * How long a webhook request may wait on Postgres (a lock, an overloaded server) before it is
   * answered 503 with Retry-After; providers give up after 3–30 s. Also Postgres's statement
   * timeout for the ingress, and the bound of /readyz's check.
   */
  INGEST_DEADLINE_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
};

export type IngressEnv = z.infer<z.ZodObject<typeof ingressEnv>>;

export function readIngressEnv(env = process.env): IngressEnv {
  return parseEnv(ingressEnv, env);
}

/** The settings and the sources, whose `env:` secrets come from the same environment. */
export function readIngressConfig(env = process.env) {
  const settings = readIngressEnv(env);
  return { env: settings, sources: loadIngressSources(settings.SOURCES_FILE, env) };
}
