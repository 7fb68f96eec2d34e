import type { ReplayDeps } from '@webhook-inbox/inbox';
import type { Redis } from 'ioredis';

/** What the inbox routes use: the inbox's own dependencies and the queue's connection. */
export interface ConsoleDeps extends ReplayDeps {
  /** Asked before any job lookup, since BullMQ would wait for a Redis that is down. */
  readonly redis: Redis;
}
