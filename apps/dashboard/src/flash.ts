import type { FastifyReply, FastifyRequest } from 'fastify';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** A message for the next page only: an action's outcome after its redirect. */
    flash: string;
  }
}

/** Redirects after a POST, carrying `message` to the next page once (a reload no longer shows it). */
export function redirectWithFlash(
  request: FastifyRequest,
  reply: FastifyReply,
  location: string,
  message: string,
): FastifyReply {
  request.session.set('flash', message);
  return reply.redirect(location, 303);
}

/** The message left for this page, removed as it is read. */
export function takeFlash(request: FastifyRequest): string | undefined {
  const message = request.session.get('flash');
  if (message !== undefined) request.session.set('flash', undefined);
  return message;
}
