import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySecureSession from '@fastify/secure-session';
import type { FastifyInstance } from 'fastify';

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
  /** Session lifetime in seconds. */
  readonly sessionSeconds?: number;
}

/**
 * Headers, sessions and CSRF tokens for the whole console, and the logged-in operator as
 * `request.caller`. Which callers a route admits is decided by the plugin it is registered in
 * (see access-hooks.ts).
 */
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

  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request) => {
    const user = request.session.get('user');
    if (user) request.caller = { kind: 'session', user };
  });
}
