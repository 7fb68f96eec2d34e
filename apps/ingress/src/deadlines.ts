import type { ServerOptions } from 'node:http';

/** How long a client may hold a connection at each stage; every one is a bound on a socket. */
export interface ServerDeadlines {
  /** To receive a whole request, headers and body; past it the client gets 408. */
  readonly requestMs: number;
  /** To receive the headers; no longer than `requestMs`. */
  readonly headersMs: number;
  /** An idle keep-alive connection between requests. */
  readonly keepAliveMs: number;
  /** A connection with no traffic either way, whatever stage it is at. */
  readonly connectionMs: number;
}

/**
 * Providers give up on a delivery after 3 to 30 s, so no genuine sender takes 15 s to send one.
 * Keep-alive outlasts the 60 s idle timeout of common load balancers, so they close first and
 * never reuse a connection we are closing; it is Fastify's default.
 */
export const DEFAULT_DEADLINES: ServerDeadlines = {
  requestMs: 15_000,
  headersMs: 10_000,
  keepAliveMs: 72_000,
  connectionMs: 60_000,
};

/** How long a webhook request may wait on Postgres before its 503; providers give up after 3–30 s. */
export const DEFAULT_INGEST_DEADLINE_MS = 2_000;

/**
 * Fastify's options for the deadlines. Node looks for overdue requests only every 30 s by
 * default, which would let a slow sender overstay its deadline by that much: look often enough
 * that a 408 comes at most half a header deadline (and at most a second) late.
 */
export function deadlineOptions(deadlines: ServerDeadlines) {
  const http: ServerOptions = {
    requestTimeout: deadlines.requestMs,
    headersTimeout: deadlines.headersMs,
    keepAliveTimeout: deadlines.keepAliveMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, deadlines.headersMs / 2)),
  };
  return {
    http,
    requestTimeout: deadlines.requestMs,
    keepAliveTimeout: deadlines.keepAliveMs,
    connectionTimeout: deadlines.connectionMs,
  };
}
