import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkCsrf, requireOperator } from '../access-hooks.ts';
import type { ConsoleDeps } from '../console-deps.ts';
import { notFound } from '../not-found.ts';
import { refuseWithoutRedis } from '../redis-guard.ts';
import { destinationActions } from './destination-actions.ts';
import { eventActions, eventPages } from './events.ts';
import { logoutRoute } from './login.ts';
import { overviewRoutes } from './overview.ts';
import { replayMatchingAction, replayMatchingPage } from './replay-matching.ts';

const redisAwayPage = (reply: FastifyReply, message: string) =>
  reply.page(
    'message',
    {
      title: 'Redis not reachable',
      section: 'events',
      heading: 'Redis is not reachable',
      message,
    },
    503,
  );

/**
 * The operator's pages, for a logged-in operator with the CSRF token on every form; inside them,
 * the forms that add or move jobs, refused while Redis is away. A route is guarded by the plugin
 * it is registered in, whatever its path.
 */
export function pageRoutes(deps: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    app.addHook('onRequest', requireOperator);
    app.addHook('preHandler', checkCsrf);
    app.setNotFoundHandler(notFound);
    await app.register(overviewRoutes(deps.db));
    await app.register(eventPages(deps));
    await app.register(replayMatchingPage(deps));
    await app.register(logoutRoute);

    await app.register(async (jobActions) => {
      jobActions.addHook('preHandler', refuseWithoutRedis(deps.redis, redisAwayPage));
      await jobActions.register(eventActions(deps));
      await jobActions.register(destinationActions(deps));
      await jobActions.register(replayMatchingAction(deps));
    });
  };
}
