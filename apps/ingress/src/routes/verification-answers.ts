import type { HandshakeAnswer, RejectionReason } from '@webhook-inbox/verify';
import type { FastifyReply } from 'fastify';
import { sendError } from '../http-errors.ts';

/** One message for every signature failure: which part failed is for our logs only. */
export const REJECTION_STATUS: Record<
  RejectionReason,
  { status: 400 | 401 | 403; message: string }
> = {
  missing_signature: { status: 401, message: 'signature verification failed' },
  malformed_signature: { status: 401, message: 'signature verification failed' },
  stale_timestamp: { status: 401, message: 'signature verification failed' },
  no_matching_secret: { status: 401, message: 'signature verification failed' },
  malformed_body: { status: 400, message: 'body is not a valid event' },
  wrong_verify_token: { status: 403, message: 'verify token does not match' },
};

/** Only a 400's detail says what to fix; a failed credential says nothing of which part failed. */
export function sendRejection(reply: FastifyReply, reason: RejectionReason, detail?: string) {
  const { status, message } = REJECTION_STATUS[reason];
  return sendError(reply, status, status === 400 ? (detail ?? message) : message);
}

/**
 * A handshake's answer, as the provider reads it: JSON, or the challenge as the whole body.
 * An echoed challenge is text the sender chose, so no client may sniff it into HTML.
 */
export function sendHandshakeAnswer(reply: FastifyReply, answer: HandshakeAnswer) {
  if (typeof answer !== 'string') return reply.code(200).send(answer);
  return reply
    .code(200)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .send(answer);
}
