import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * What each error status says. Every error the ingress sends is `{"error": "…"}` with one of
 * these or a route's own message, never anything taken from the request.
 */
export const ERROR_MESSAGES = {
  400: 'bad request',
  404: 'not found',
  405: 'method not allowed',
  408: 'request timeout: send the whole request sooner',
  413: 'body too large',
  414: 'URL too long',
  415: 'unsupported content type',
  431: 'request headers too large',
  500: 'internal error',
  503: 'temporarily unavailable, retry later',
} as const;

export type ErrorStatus = keyof typeof ERROR_MESSAGES;

const isErrorStatus = (status: number): status is ErrorStatus =>
  Object.hasOwn(ERROR_MESSAGES, status);

export function sendError(reply: FastifyReply, status: number, message?: string) {
  const text = message ?? (isErrorStatus(status) ? ERROR_MESSAGES[status] : ERROR_MESSAGES[400]);
  return reply.code(status).send({ error: text });
}

/** How long a provider should wait before retrying what we could not take now. */
const RETRY_AFTER_SECONDS = '5';

/** 503 with Retry-After: nothing was committed, so the provider must send it again. */
export function sendUnavailable(reply: FastifyReply, message?: string) {
  reply.header('retry-after', RETRY_AFTER_SECONDS);
  return sendError(reply, 503, message);
}

/** Node's HTTP parser fails these before Fastify sees a request; they are answered on the socket. */
const CLIENT_ERROR_STATUS: Readonly<Record<string, ErrorStatus>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
};

/**
 * For Fastify's `clientErrorHandler`: a malformed, oversized or overdue request gets the same JSON
 * shape as every other error, then the socket is closed, as Node does by default.
 */
export function answerClientError(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400;
  this.log.debug({ code: error.code, status }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify({ error: ERROR_MESSAGES[status] });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** For Fastify's `frameworkErrors`: a URL the router cannot take, answered without echoing it. */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : (error.statusCode ?? 400);
  return sendError(reply, status);
}
