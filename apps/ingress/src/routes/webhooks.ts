import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebhookLogFields } from '../app.ts';
import { sendError, sendUnavailable } from '../http-errors.ts';
import { Ingest, type IngestDeps } from '../ingest.ts';
import type { RejectionCounter } from '../rejection-counter.ts';
import { retryPoliciesOf, type Source } from '../sources.ts';
import { storedHeaders } from '../stored-headers.ts';
import { handshakeRoute } from './handshakes.ts';
import { REJECTION_STATUS, sendHandshakeAnswer, sendRejection } from './verification-answers.ts';

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
      if (!source) {
        entry.outcome = 'unknown_source';
        return sendError(reply, 404, 'unknown source');
      }
      if (!isIdentityEncoding(request.headers['content-encoding'])) {
        entry.outcome = 'unsupported_encoding';
        return sendError(
          reply,
          415,
          'send the body uncompressed: the signature covers the bytes as sent',
        );
      }
      if (!source.verifier.acceptsContentType(request.headers['content-type'] ?? '')) {
        entry.outcome = 'unsupported_media_type';
        return sendError(reply, 415, 'unsupported content type');
      }
      // No credential header at all cannot verify: answered before a byte of the body is read
      // or hashed, the same 401 the verifier would give. A sender whose credential is in the
      // body (Microsoft Graph) has no such header.
      const { credentialHeaders } = source.verifier;
      if (
        credentialHeaders.length > 0 &&
        !credentialHeaders.some((name) => request.headers[name] !== undefined)
      ) {
        entry.outcome = 'missing_signature';
        options.rejections.count(source.name, 'missing_signature');
        return sendError(reply, 401, REJECTION_STATUS.missing_signature.message);
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
        case 'rejected': {
          entry.outcome = verification.reason;
          options.rejections.count(source.name, verification.reason);
          return sendRejection(reply, verification.reason, verification.detail);
        }
        case 'respond':
          entry.outcome = 'responded';
          return sendHandshakeAnswer(reply, verification.body);
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
          return reply.code(200).send({ received: true, duplicate: outcome.duplicate });
        case 'unstorable':
          return sendError(reply, 400, 'body is not a valid event');
        case 'unavailable':
          return sendUnavailable(reply);
        default: {
          const unreachable: never = outcome;
          throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
        }
      }
    },
  });
}
