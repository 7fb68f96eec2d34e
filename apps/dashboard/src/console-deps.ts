import type { Actor } from '@webhook-inbox/inbox';
import type { ReplayDeps } from '@webhook-inbox/inbox-queue';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';

/** What the inbox routes use: the inbox's own dependencies and the queue's connection. */
export interface ConsoleDeps extends Omit<ReplayDeps, 'actor'> {
  /** Asked before any job lookup, since BullMQ would wait for a Redis that is down. */
  readonly redis: Redis;
}

/** Who the event history says acted: the logged-in operator, or `api` for the API token. */
export function actorOf(request: FastifyRequest): Actor {
  const caller = request.caller;
  return caller?.kind === 'session' ? caller.user : 'api';
}

/** The deps of an action taken for `request`'s caller. */
export function actingFor(deps: ConsoleDeps, request: FastifyRequest): ReplayDeps {
  return { ...deps, actor: actorOf(request) };
}
