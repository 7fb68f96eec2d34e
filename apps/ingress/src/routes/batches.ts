import { REQUEST_OUTCOMES } from '@webhook-inbox/metrics';
import type { HandshakeAnswer } from '@webhook-inbox/verify';
import type { FastifyReply } from 'fastify';
import { sendUnavailable } from '../http-errors.ts';
import type { BatchDelivery, Ingest } from '../ingest.ts';
import type { WebhookLogFields } from '../webhook-log.ts';
import { refuse } from './verification-answers.ts';

/**
 * Stores a verified batch, one row per event, and answers once every one is committed: with the
 * body the provider requires (Adyen's `[accepted]`), else with what was new.
 */
export async function ingestBatch(
  ingest: Ingest,
  reply: FastifyReply,
  entry: WebhookLogFields,
  delivery: BatchDelivery & { readonly reply?: HandshakeAnswer },
) {
  const outcome = await ingest.ingestBatch(delivery);
  entry.events = delivery.events.length;
  switch (outcome.kind) {
    case 'accepted': {
      entry.outcome = 'accepted';
      // A batch is a duplicate when it brought nothing new: a redelivery of one stored whole.
      entry.duplicate = outcome.stored === 0 && outcome.duplicates > 0;
      entry.duplicates = outcome.duplicates;
      reply.code(REQUEST_OUTCOMES.accepted.status);
      if (typeof delivery.reply === 'string') {
        return reply.header('content-type', 'text/plain; charset=utf-8').send(delivery.reply);
      }
      return reply.send(
        delivery.reply ?? {
          received: true,
          duplicate: entry.duplicate,
          events: delivery.events.length,
          duplicates: outcome.duplicates,
        },
      );
    }
    case 'unstorable':
      entry.outcome = 'unstorable';
      return refuse(reply, entry, 'unstorable');
    case 'unavailable':
      entry.outcome = 'unavailable';
      return sendUnavailable(reply, REQUEST_OUTCOMES.unavailable.message);
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled batch outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
