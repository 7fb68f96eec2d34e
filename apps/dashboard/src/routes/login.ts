import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkCsrf } from '../access-hooks.ts';
import type { Credentials } from '../credentials.ts';

/** Failed and successful attempts alike count: ten a minute per client address. */
export const LOGIN_ATTEMPTS_PER_MINUTE = 10;

// Any origin works: only whether `next` stays on it matters, and the redirect is relative.
const CONSOLE_ORIGIN = 'http://console.invalid';

/**
 * Only a path of this dashboard, so the login form cannot send anyone elsewhere. Parsed the
 * way a browser parses it (WHATWG URL: `\` is `/`, tabs and newlines are dropped), so
 * `/\evil.example/` or `/<TAB>/evil.example/` cannot pass as a path.
 */
function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return '/';
  if (!URL.canParse(next, CONSOLE_ORIGIN)) return '/';
  const url = new URL(next, CONSOLE_ORIGIN);
  if (url.origin !== CONSOLE_ORIGIN) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

interface LoginBody {
  user?: string;
  password?: string;
  next?: string;
}

/** The login form: open to anyone, its POST still needs the form's CSRF token. */
export function loginRoutes(credentials: Credentials) {
  return async (app: FastifyInstance) => {
    app.addHook('preHandler', checkCsrf);

    const showForm = (
      reply: FastifyReply,
      next: string,
      error: string | undefined,
      status: number,
      user = '',
    ) =>
      reply.page(
        'login',
        { title: 'Log in', section: 'login', user: undefined, next, error, userName: user },
        status,
      );

    app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
      if (request.caller) return reply.redirect(safeNext(request.query.next), 303);
      return showForm(reply, safeNext(request.query.next), undefined, 200);
    });

    app.post<{ Body: LoginBody }>(
      '/login',
      {
        config: { rateLimit: { max: LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: '1 minute' } },
        schema: {
          body: {
            type: 'object',
            properties: {
              user: { type: 'string', maxLength: 200 },
              password: { type: 'string', maxLength: 1000 },
              next: { type: 'string', maxLength: 2000 },
              _csrf: { type: 'string' },
            },
          },
        },
      },
      async (request, reply) => {
        const { user = '', password = '', next } = request.body;
        if (!(await credentials.verify(user, password))) {
          request.log.warn({ user: user.slice(0, 100) }, 'dashboard login failed');
          return showForm(reply, safeNext(next), 'Wrong user name or password.', 401, user);
        }
        // A fresh session (and CSRF secret) for the logged-in operator.
        request.session.regenerate();
        request.session.set('user', credentials.user);
        request.log.info({ user: credentials.user }, 'dashboard login');
        return reply.redirect(safeNext(next), 303);
      },
    );
  };
}

/** Ends the operator's session; a page route, so only a logged-in operator's form reaches it. */
export async function logoutRoute(app: FastifyInstance) {
  app.post('/logout', async (request, reply) => {
    request.session.delete();
    return reply.redirect('/login', 303);
  });
}
