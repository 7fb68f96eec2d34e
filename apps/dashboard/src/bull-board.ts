import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { WebhookQueue } from '@webhook-inbox/queue';
import type { FastifyInstance } from 'fastify';
import { BOARD_PATH } from './job-state.ts';

/**
 * Bull Board on the webhooks queue. Its job actions are safe: the row is the truth, so a removed
 * job's row is queued again by the relay, and a retried job meets the worker's row lock.
 */
export async function registerBullBoard(app: FastifyInstance, queue: WebhookQueue, prefix: string) {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: [
      new BullMQAdapter(queue, {
        description: `key prefix ${prefix}`,
        // From a job back to its inbox row, where payload, status and history live.
        externalJobUrl: (job) => ({
          displayText: 'Open in the inbox',
          href: `/events/${job.data?.rowId}`,
        }),
      }),
    ],
    serverAdapter,
    options: {
      uiConfig: { boardTitle: 'webhook-inbox', miscLinks: [{ text: 'Inbox', url: '/' }] },
    },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
}
