import type { IncomingHttpHeaders } from 'node:http';

/** What a verifier sees of a request: nothing it could mutate, and the clock as a value. */
export interface IncomingWebhook {
  /** Node's headers: names are lower-case. */
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** The path and query string as received, for schemes that sign the URL. */
  readonly url: string;
  readonly now: Date;
}

/** The kinds of failure we log and count. Never sent to the caller beyond a generic message. */
export type RejectionReason =
  | 'missing_signature'
  | 'malformed_signature'
  | 'stale_timestamp'
  | 'no_matching_secret'
  | 'malformed_body'
  /** A handshake carrying a verify token (Meta's) that is not the configured one. */
  | 'wrong_verify_token'
  /** A verified batch carrying more events than the deployment accepts in one request. */
  | 'too_many_events'
  /**
   * The sender's keys or certificate could not be fetched: its host did not answer in time, could
   * not be reached or said it is failing. Not the request's fault, so the sender should retry.
   */
  | 'keys_unavailable';

export interface VerifiedEvent {
  readonly eventId: string;
  readonly eventType: string;
  /** JSON text of the payload to store: the body as it came, or a form body turned into JSON. */
  readonly body: string;
  /**
   * Set when the event ID is not covered by the signature: the SHA-256 (hex) of what is, with
   * the event type folded in when the type is not signed either. A second event of the source
   * with this key is the same delivery replayed under a new ID.
   */
  readonly signedContentSha256?: string;
  /**
   * Set for providers that re-stamp body fields on every retry: the SHA-256 (hex) of the body
   * without them, which a later delivery under the same event ID is compared with instead of
   * the raw body's digest, so a retry does not count as a changed event.
   */
  readonly comparableSha256?: string;
  /** For an event of a batch: the JSON text of the body without its list of events. */
  readonly envelope?: string;
}

/**
 * The answer to a handshake: a JSON object, or text sent as `text/plain` (a challenge echoed
 * as is: Twitch's, Meta's, Dropbox's, Microsoft Graph's validation token).
 */
export type HandshakeAnswer = Readonly<Record<string, unknown>> | string;

/**
 * event: store and queue it. batch: one request carrying several events (maybe none), each
 * stored as its own row, all in one transaction, and acked with `reply` when the provider needs
 * a body of its own. respond: a verified request the provider wants answered directly
 * and never stored (Slack's url_verification). rejected: nothing is stored; `detail` is for
 * the 400 message and logs, never says which secret or which part of a signature failed.
 */
export type Verification =
  | { readonly kind: 'event'; readonly event: VerifiedEvent }
  | {
      readonly kind: 'batch';
      readonly events: readonly VerifiedEvent[];
      readonly reply?: HandshakeAnswer;
    }
  | { readonly kind: 'respond'; readonly body: HandshakeAnswer }
  | { readonly kind: 'rejected'; readonly reason: RejectionReason; readonly detail?: string };

/** What a GET handshake can come to: never an event, so nothing of it is ever stored. */
export type HandshakeVerification = Exclude<Verification, { readonly kind: 'event' | 'batch' }>;

/**
 * Most schemes verify from the request and the configuration alone and answer at once; one
 * whose key is named by the request (Plaid's JWT `kid`) may have to fetch it first, and answers
 * with a promise. Callers await only a promise, so the immediate path costs no extra tick.
 */
export interface Verifier {
  verify(request: IncomingWebhook): Verification | Promise<Verification>;
  /** Whether a body of this Content-Type (the header as sent, maybe empty) can be verified. */
  acceptsContentType(contentType: string): boolean;
  /**
   * Header names (lower-case) that carry credentials and must never be stored or logged. Empty
   * for a sender whose credential is in the body (Microsoft Graph's clientState).
   */
  readonly credentialHeaders: readonly string[];
  /**
   * Set only by providers that check a new URL with a GET (Meta, Dropbox, Okta): the ingress
   * serves GET for their sources alone, and its answer is never stored.
   */
  readonly handshake?: (request: IncomingWebhook) => HandshakeVerification;
  /**
   * Set by providers that answer an unsigned POST (WooCommerce's save-time ping): the ingress
   * then reads the body of a request without a credential header rather than refusing it at once.
   */
  readonly answersUnsignedPost?: boolean;
}

/** A verifier that never needs to wait: every scheme whose keys are all in its configuration. */
export interface ImmediateVerifier extends Verifier {
  verify(request: IncomingWebhook): Verification;
}

export const respond = (body: HandshakeAnswer): HandshakeVerification => ({
  kind: 'respond',
  body,
});

export type Rejection = Extract<Verification, { readonly kind: 'rejected' }>;

export const reject = (reason: RejectionReason, detail?: string): Rejection =>
  detail === undefined ? { kind: 'rejected', reason } : { kind: 'rejected', reason, detail };

export const accept = (event: VerifiedEvent): Verification => ({ kind: 'event', event });

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/** application/json, or any application/…+json, with or without parameters. */
export const isJsonContentType = (contentType: string): boolean => JSON_TYPE.test(contentType);
