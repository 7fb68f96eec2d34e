import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A readiness check: each dependency's name and whether it is usable now. */
export type ReadinessCheck = () => Promise<Readonly<Record<string, boolean>>>;

export interface AdminServerOptions {
  readonly registry: Registry;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** When given, `/healthz` and `/readyz` are served too. */
  readonly ready?: ReadinessCheck;
}

export interface AdminServer {
  readonly url: string;
  close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * The admin port: `/metrics` for Prometheus (and, for the worker, health checks), never on the
 * public webhook port, so it can stay inside the private network.
 */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { registry, ready } = options;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') return sendJson(response, 405, { error: 'method not allowed' });
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => sendJson(response, 500, { error: 'metrics unavailable' }),
      );
      return;
    }
    if (ready && path === '/healthz') return sendJson(response, 200, { ok: true });
    if (ready && path === '/readyz') {
      ready().then(
        (checks) => {
          const ok = Object.values(checks).every(Boolean);
          sendJson(response, ok ? 200 : 503, { ok, ...checks });
        },
        () => sendJson(response, 503, { ok: false }),
      );
      return;
    }
    sendJson(response, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `cannot listen on ${options.host}:${options.port} for metrics (${error.code ?? error.message}): set METRICS_PORT or METRICS_HOST`,
        ),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
