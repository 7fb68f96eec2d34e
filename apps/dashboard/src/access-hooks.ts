import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import { sameText } from './credentials.ts';
import { TokenFailures } from './token-failures.ts';

/**
 * The hooks a part of the console registers inside its own plugin, so a route is guarded by the
 * plugin it is registered in, never by what its URL starts with.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const NOT_LOGGED_IN =
  'not logged in: log in at /login, or send Authorization: Bearer <DASHBOARD_API_TOKEN> to /api/';

/** onRequest of the pages and Bull Board: a page's link sends to the login form, and back. */
export async function requireOperator(request: FastifyRequest, reply: FastifyReply) {
  if (request.caller) return;
  if (!SAFE_METHODS.has(request.method)) return reply.code(401).send({ error: NOT_LOGGED_IN });
  return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
}

/** onRequest of the API: automation is told, not redirected. */
export async function requireCaller(request: FastifyRequest, reply: FastifyReply) {
  if (!request.caller) return reply.code(401).send({ error: NOT_LOGGED_IN });
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

/**
 * onRequest of the API, before `requireCaller`: a request without a session may bring the API
 * token. Wrong tokens are counted per address, and a blocked address is refused even the right one.
 */
export function acceptApiToken(apiToken: string | undefined) {
  const failures = new TokenFailures();
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const bearer = bearerOf(request);
    if (request.caller || bearer === undefined) return;
    const waitSeconds = failures.blockedFor(request.ip);
    if (waitSeconds > 0) {
      return reply
        .code(429)
        .header('retry-after', String(waitSeconds))
        .send({ error: `too many wrong API tokens from this address: retry in ${waitSeconds}s` });
    }
    if (apiToken && sameText(bearer, apiToken)) {
      request.caller = { kind: 'token' };
      return;
    }
    failures.record(request.ip);
    const path = request.url.split('?')[0] ?? '/';
    request.log.warn({ ip: request.ip, path }, 'dashboard API token refused');
  };
}

/**
 * preHandler of every form and API call: after the body is parsed, so a form's `_csrf` field is
 * seen. The API token is no cookie a browser sends by itself, so its calls need none.
 */
export function checkCsrf(
  this: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
) {
  if (SAFE_METHODS.has(request.method) || request.caller?.kind === 'token') return done();
  this.csrfProtection(request, reply, done);
}

/** Bull Board's UI sends no CSRF token; its state-changing calls must come from our own pages. */
function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = request.headers.origin;
  if (origin === undefined || !URL.canParse(origin)) return false;
  return new URL(origin).host === request.headers.host;
}

/** preHandler of Bull Board, in place of `checkCsrf`. */
export async function requireSameOrigin(request: FastifyRequest, reply: FastifyReply) {
  if (SAFE_METHODS.has(request.method) || sameOrigin(request)) return;
  return reply.code(403).send({ error: 'cross-origin request refused' });
}
