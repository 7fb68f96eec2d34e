import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySecureSession from '@fastify/secure-session';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sameText } from './credentials.ts';
import { BOARD_PATH } from './job-state.ts';
import { TokenFailures } from './token-failures.ts';

declare module '@fastify/secure-session' {
  interface SessionData {
    user: string;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking: a logged-in operator, automation with the API token, or nobody yet. */
    caller: Caller | null;
  }
}

export type Caller =
  | { readonly kind: 'session'; readonly user: string }
  | { readonly kind: 'token' };

export interface SecurityOptions {
  /** 32 bytes that encrypt and sign the session cookie. */
  readonly sessionKey: Buffer;
  readonly secureCookie: boolean;
  readonly apiToken?: string | undefined;
  /** Session lifetime in seconds. */
  readonly sessionSeconds?: number;
}

/** Paths anyone may reach: the login form and the stylesheet it uses. */
const PUBLIC = new Set(['/login', '/assets/console.css', '/healthz']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The bearer token sent, if any. */
function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

export function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '/';
}

/** Bull Board's UI sends no CSRF token; its state-changing calls must come from our own pages. */
function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = request.headers.origin;
  if (origin === undefined || !URL.canParse(origin)) return false;
  return new URL(origin).host === request.headers.host;
}

function refuse(request: FastifyRequest, reply: FastifyReply) {
  const path = pathOf(request);
  if (path.startsWith('/api/') || !SAFE_METHODS.has(request.method)) {
    return reply.code(401).send({
      error:
        'not logged in: log in at /login, or send Authorization: Bearer <DASHBOARD_API_TOKEN> to /api/',
    });
  }
  const next = encodeURIComponent(request.url);
  return reply.redirect(`/login?next=${next}`, 303);
}

export async function registerSecurity(app: FastifyInstance, options: SecurityOptions) {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Bull Board's UI sets inline styles; every page escapes what it prints.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        // Over plain HTTP on loopback, upgrading would break every request.
        upgradeInsecureRequests: options.secureCookie ? [] : null,
      },
    },
    strictTransportSecurity: options.secureCookie,
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyFormbody);
  await app.register(fastifySecureSession, {
    key: options.sessionKey,
    cookieName: 'wi_session',
    expiry: options.sessionSeconds ?? 12 * 3600,
    cookie: {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookie,
    },
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/secure-session' });

  const tokenFailures = new TokenFailures();
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request, reply) => {
    const user = request.session.get('user');
    const path = pathOf(request);
    const bearer = bearerOf(request);
    if (user) request.caller = { kind: 'session', user };
    else if (path.startsWith('/api/') && bearer !== undefined) {
      const waitSeconds = tokenFailures.blockedFor(request.ip);
      if (waitSeconds > 0) {
        return reply
          .code(429)
          .header('retry-after', String(waitSeconds))
          .send({ error: `too many wrong API tokens from this address: retry in ${waitSeconds}s` });
      }
      if (options.apiToken && sameText(bearer, options.apiToken))
        request.caller = { kind: 'token' };
      else {
        tokenFailures.record(request.ip);
        request.log.warn({ ip: request.ip, path }, 'dashboard API token refused');
      }
    }
    if (!request.caller && !PUBLIC.has(path)) return refuse(request, reply);
  });

  // After the body is parsed, so a form's `_csrf` field is seen.
  app.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || request.caller?.kind === 'token') return done();
    if (pathOf(request).startsWith(`${BOARD_PATH}/`)) {
      if (sameOrigin(request)) return done();
      reply.code(403).send({ error: 'cross-origin request refused' });
      return;
    }
    app.csrfProtection(request, reply, done);
  });
}
