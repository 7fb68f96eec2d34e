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
  | 'malformed_body';

export interface VerifiedEvent {
  readonly eventId: string;
  readonly eventType: string;
  /** JSON text of the payload to store: the body as it came, or a form body turned into JSON. */
  readonly body: string;
  /**
   * Set when the event ID is not covered by the signature: the SHA-256 (hex) of what is. A
   * second event of the source with this digest is the same delivery replayed under a new ID.
   */
  readonly signedContentSha256?: string;
}

/**
 * event: store and queue it. respond: a verified request the provider wants answered directly
 * and never stored (Slack's url_verification). rejected: nothing is stored; `detail` is for
 * the 400 message and logs, never says which secret or which part of a signature failed.
 */
export type Verification =
  | { readonly kind: 'event'; readonly event: VerifiedEvent }
  | { readonly kind: 'respond'; readonly body: Readonly<Record<string, unknown>> }
  | { readonly kind: 'rejected'; readonly reason: RejectionReason; readonly detail?: string };

/**
 * Most schemes verify from the request and the configuration alone and answer at once; one
 * whose key is named by the request (Plaid's JWT `kid`) may have to fetch it first, and answers
 * with a promise. Callers await only a promise, so the immediate path costs no extra tick.
 */
export interface Verifier {
  verify(request: IncomingWebhook): Verification | Promise<Verification>;
  /** Whether a body of this Content-Type (the header as sent, maybe empty) can be verified. */
  acceptsContentType(contentType: string): boolean;
  /** Header names (lower-case) that carry credentials and must never be stored or logged. */
  readonly credentialHeaders: readonly string[];
}

/** A verifier that never needs to wait: every scheme whose keys are all in its configuration. */
export interface ImmediateVerifier extends Verifier {
  verify(request: IncomingWebhook): Verification;
}

export const reject = (reason: RejectionReason, detail?: string): Verification =>
  detail === undefined ? { kind: 'rejected', reason } : { kind: 'rejected', reason, detail };

export const accept = (event: VerifiedEvent): Verification => ({ kind: 'event', event });

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/** application/json, or any application/…+json, with or without parameters. */
export const isJsonContentType = (contentType: string): boolean => JSON_TYPE.test(contentType);
