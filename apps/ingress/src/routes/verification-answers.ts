import { REQUEST_OUTCOMES, type RequestOutcome } from '@webhook-inbox/metrics';
import type { HandshakeAnswer, Rejection } from '@webhook-inbox/verify';
import type { FastifyReply } from 'fastify';
import { sendError, sendUnavailable } from '../http-errors.ts';
import type { RejectionCounter } from '../rejection-counter.ts';
import type { WebhookLogFields } from '../webhook-log.ts';

/** The outcomes the webhook routes answer with an error of their own. */
type RefusedOutcome = {
  [K in RequestOutcome]: (typeof REQUEST_OUTCOMES)[K] extends { message: string } ? K : never;
}[RequestOutcome];

/** Records `outcome` for the log line and answers with its status and message. */
export function refuse(
  reply: FastifyReply,
  entry: WebhookLogFields,
  outcome: RefusedOutcome,
  message: string = REQUEST_OUTCOMES[outcome].message,
) {
  entry.outcome = outcome;
  return sendError(reply, REQUEST_OUTCOMES[outcome].status, message);
}

/**
 * A verifier's refusal: counted for the source, then answered. Only the request's own problem
 * (its body or query) is told; a credential's stays in our logs.
 */
export function refuseRejected(
  reply: FastifyReply,
  entry: WebhookLogFields,
  rejections: RejectionCounter,
  source: string,
  rejection: Rejection,
) {
  const { reason } = rejection;
  rejections.count(source, reason);
  if (reason === 'keys_unavailable') {
    // Not the request's fault: a 503 with Retry-After has the provider send it again.
    entry.outcome = reason;
    return sendUnavailable(reply, REQUEST_OUTCOMES[reason].message);
  }
  const detail =
    reason === 'malformed_body' || reason === 'too_many_events' ? rejection.detail : undefined;
  return refuse(reply, entry, reason, detail);
}

/**
 * A handshake's answer, as the provider reads it: JSON, or the challenge as the whole body.
 * An echoed challenge is text the sender chose, so no client may sniff it into HTML.
 */
export function sendHandshakeAnswer(
  reply: FastifyReply,
  entry: WebhookLogFields,
  answer: HandshakeAnswer,
) {
  entry.outcome = 'responded';
  reply.code(REQUEST_OUTCOMES.responded.status);
  if (typeof answer !== 'string') return reply.send(answer);
  return reply
    .header('content-type', 'text/plain; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .send(answer);
}
