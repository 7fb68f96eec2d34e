import { REQUEST_OUTCOMES } from '@webhook-inbox/metrics';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendUnavailable } from '../http-errors.ts';
import { Ingest, type IngestDeps } from '../ingest.ts';
import type { RejectionCounter } from '../rejection-counter.ts';
import { retryPoliciesOf, type Source } from '../sources.ts';
import { storedHeaders } from '../stored-headers.ts';
import type { WebhookLogFields } from '../webhook-log.ts';
import { ingestBatch } from './batches.ts';
import { handshakeRoute } from './handshakes.ts';
import { refuse, refuseRejected, sendHandshakeAnswer } from './verification-answers.ts';

/** The ingest's retry policies are the sources'. */
export interface WebhookRouteOptions extends Omit<IngestDeps, 'retryPolicies'> {
  readonly sources: ReadonlyMap<string, Source>;
  readonly bodyLimit: number;
  readonly rejections: RejectionCounter;
  readonly ingestDeadlineMs: number;
  readonly now?: () => Date;
}

type WebhookRequest = FastifyRequest<{ Params: { source: string } }>;

/** Decoding a compressed body would verify bytes other than those the sender signed. */
const isIdentityEncoding = (encoding: string | undefined) =>
  encoding === undefined || /^\s*(identity)?\s*$/i.test(encoding);

export async function webhookRoutes(app: FastifyInstance, options: WebhookRouteOptions) {
  const now = options.now ?? (() => new Date());
  const ingest = new Ingest(
    { ...options, retryPolicies: retryPoliciesOf(options.sources) },
    { deadlineMs: options.ingestDeadlineMs },
  );

  // Verification needs the bytes exactly as sent, so nothing here parses bodies.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  handshakeRoute(app, { sources: options.sources, rejections: options.rejections, now });

  app.post<{ Params: { source: string } }>('/webhooks/:source', {
    bodyLimit: options.bodyLimit,
    // Rejected before the body is read: an unknown source or a wrong type costs us no upload.
    onRequest: async (request: WebhookRequest, reply) => {
      const entry: WebhookLogFields = { source: request.params.source };
      request.webhook = entry;
      const source = options.sources.get(request.params.source);
      if (!source) return refuse(reply, entry, 'unknown_source');
      if (!isIdentityEncoding(request.headers['content-encoding'])) {
        return refuse(reply, entry, 'unsupported_encoding');
      }
      if (!source.verifier.acceptsContentType(request.headers['content-type'] ?? '')) {
        return refuse(reply, entry, 'unsupported_media_type');
      }
      // No credential header at all cannot verify: answered before a byte of the body is read
      // or hashed, the same 401 the verifier would give. A sender whose credential is in the
      // body (Microsoft Graph) has no such header; one that answers an unsigned ping
      // (WooCommerce) reads the body first.
      const { credentialHeaders, answersUnsignedPost } = source.verifier;
      if (
        credentialHeaders.length > 0 &&
        !answersUnsignedPost &&
        !credentialHeaders.some((name) => request.headers[name] !== undefined)
      ) {
        options.rejections.count(source.name, 'missing_signature');
        return refuse(reply, entry, 'missing_signature');
      }
    },
    handler: async (request: WebhookRequest, reply) => {
      const entry: WebhookLogFields = request.webhook ?? { source: request.params.source };
      const source = options.sources.get(request.params.source) as Source;
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verifying = source.verifier.verify({
        headers: request.headers,
        rawBody,
        url: request.url,
        now: now(),
      });
      // Most verifiers answer at once; only one that fetches a key is awaited.
      const verification = verifying instanceof Promise ? await verifying : verifying;
      switch (verification.kind) {
        case 'rejected':
          return refuseRejected(reply, entry, options.rejections, source.name, verification);
        case 'respond':
          return sendHandshakeAnswer(reply, entry, verification.body);
        case 'batch':
          return ingestBatch(ingest, reply, entry, {
            source,
            events: verification.events,
            rawBody,
            headers: storedHeaders(request.headers, source.verifier.credentialHeaders),
            ...(verification.reply !== undefined && { reply: verification.reply }),
          });
        case 'event':
          break;
        default: {
          const unreachable: never = verification;
          throw new Error(`unhandled verification ${JSON.stringify(unreachable)}`);
        }
      }

      const { event } = verification;
      entry.eventId = event.eventId;
      const outcome = await ingest.ingest({
        source,
        event,
        rawBody,
        headers: storedHeaders(request.headers, source.verifier.credentialHeaders),
      });
      entry.outcome = outcome.kind;
      switch (outcome.kind) {
        case 'accepted':
          entry.duplicate = outcome.duplicate;
          if (outcome.duplicate) {
            entry.duplicateKey = outcome.duplicateKey;
            if (outcome.conflict) entry.conflicting = true;
          }
          return reply
            .code(REQUEST_OUTCOMES.accepted.status)
            .send({ received: true, duplicate: outcome.duplicate });
        case 'unstorable':
          return refuse(reply, entry, 'unstorable');
        case 'unavailable':
          return sendUnavailable(reply, REQUEST_OUTCOMES.unavailable.message);
        default: {
          const unreachable: never = outcome;
          throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
        }
      }
    },
  });
}
