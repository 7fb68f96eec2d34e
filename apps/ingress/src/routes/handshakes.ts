import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RejectionCounter } from '../rejection-counter.ts';
import type { Source } from '../sources.ts';
import type { WebhookLogFields } from '../webhook-log.ts';
import { refuseRejected, sendHandshakeAnswer } from './verification-answers.ts';

export interface HandshakeRouteOptions {
  readonly sources: ReadonlyMap<string, Source>;
  readonly rejections: RejectionCounter;
  readonly now: () => Date;
}

const WEBHOOK_PATH = /^\/webhooks\/([^/]*)$/;

/** The source a `/webhooks/<name>` path is for, if it names one. */
function sourceAt(sources: ReadonlyMap<string, Source>, path: string): Source | undefined {
  const name = WEBHOOK_PATH.exec(path)?.[1];
  if (name === undefined) return undefined;
  try {
    return sources.get(decodeURIComponent(name));
  } catch {
    return undefined;
  }
}

/**
 * GET on `/webhooks/:source`, served only for sources whose provider checks a new URL with a
 * GET (Meta, Dropbox, Okta): every other source answers 405 with its own Allow, as before.
 * The answer is the provider's handshake, never an event: nothing is stored or queued.
 */
export function handshakeRoute(app: FastifyInstance, options: HandshakeRouteOptions) {
  const { sources } = options;
  app.get<{ Params: { source: string } }>('/webhooks/:source', {
    // A HEAD would be answered without the body the provider reads: it is not a handshake.
    exposeHeadRoute: false,
    config: {
      servesPath: (path: string) => sourceAt(sources, path)?.verifier.handshake !== undefined,
    },
    handler: async (request: FastifyRequest<{ Params: { source: string } }>, reply) => {
      const source = sources.get(request.params.source);
      const handshake = source?.verifier.handshake;
      if (!source || !handshake) return reply.callNotFound();
      const entry: WebhookLogFields = { source: source.name };
      request.webhook = entry;
      // The URL is never logged: Meta's verify token travels in it.
      const verification = handshake({
        headers: request.headers,
        rawBody: Buffer.alloc(0),
        url: request.url,
        now: options.now(),
      });
      switch (verification.kind) {
        case 'rejected':
          return refuseRejected(reply, entry, options.rejections, source.name, verification);
        case 'respond':
          return sendHandshakeAnswer(reply, entry, verification.body);
        default: {
          const unreachable: never = verification;
          throw new Error(`unhandled handshake ${JSON.stringify(unreachable)}`);
        }
      }
    },
  });
}
