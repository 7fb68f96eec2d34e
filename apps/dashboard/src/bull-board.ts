import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { WebhookQueue } from '@webhook-inbox/queue';
import type { FastifyInstance } from 'fastify';
import { requireOperator, requireSameOrigin } from './access-hooks.ts';
import { BOARD_PATH } from './constants.ts';
import { notFound } from './not-found.ts';

const UTC_TIME: Intl.DateTimeFormatOptions = {
  timeZone: 'UTC',
  timeZoneName: 'short',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
};

/**
 * Bull Board on the webhooks queue, for the logged-in operator. Its job actions are safe: the row
 * is the truth, so a removed job's row is queued again by the relay, and a retried job meets the
 * worker's row lock.
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
      uiConfig: {
        boardTitle: 'webhook-inbox',
        // Its logo links to the board's own start page: this is the way back to the console.
        miscLinks: [{ text: '← Operators console', url: '/' }],
        // In UTC with the date and the zone, like every page of the console.
        dateFormats: { short: UTC_TIME, common: UTC_TIME, full: UTC_TIME },
      },
    },
  });
  await app.register(
    async (board) => {
      board.addHook('onRequest', requireOperator);
      board.addHook('preHandler', requireSameOrigin);
      board.setNotFoundHandler(notFound);
      await board.register(serverAdapter.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}
