import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Each part of the console sets this as its not-found handler, so an unknown path is guarded by
 * the same hooks as the known paths beside it: nobody logged out learns which paths exist.
 */
export async function notFound(_request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({ error: 'not found' });
}
