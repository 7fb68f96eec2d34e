import { getEvent } from '@webhook-inbox/inbox';
import { enableAndResume, redeliver } from '@webhook-inbox/inbox-queue';
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../console-deps.ts';
import { deliveryParams } from '../constants.ts';
import { redirectWithFlash } from '../flash.ts';
import { enableAnswer, redeliverAnswer } from '../outcomes.ts';
import { showEvent } from './events.ts';

/**
 * From an event's page: enabling a destination a 410 disabled (for the event's source, so the
 * form names no source of its own; the deliveries it refused are queued again), and sending a
 * dead delivery again.
 */
export function destinationActions(deps: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: { id: number; destination: string } }>(
      '/events/:id/deliveries/:destination/enable',
      { schema: { params: deliveryParams } },
      async (request, reply) => {
        const { id, destination } = request.params;
        const event = await getEvent(deps.db, id);
        if (!event) return showEvent(deps, reply, id);
        const answer = enableAnswer(
          destination,
          await enableAndResume(deps, event.source, destination),
        );
        request.log.info(
          { caller: request.caller?.kind, source: event.source, destination, ok: answer.ok },
          'enable destination',
        );
        if (answer.ok) return redirectWithFlash(request, reply, `/events/${id}`, answer.message);
        return showEvent(deps, reply, id, answer);
      },
    );

    app.post<{ Params: { id: number; destination: string } }>(
      '/events/:id/deliveries/:destination/redeliver',
      { schema: { params: deliveryParams } },
      async (request, reply) => {
        const { id, destination } = request.params;
        const answer = redeliverAnswer(
          destination,
          await redeliver(deps, { rowId: id, destination }),
        );
        request.log.info(
          { caller: request.caller?.kind, rowId: id, destination, ok: answer.ok },
          'redeliver',
        );
        if (answer.ok) return redirectWithFlash(request, reply, `/events/${id}`, answer.message);
        return showEvent(deps, reply, id, answer);
      },
    );
  };
}
