/** One way a webhook request can end. */
export interface RequestOutcomeEntry {
  /** The HTTP status it is answered with. */
  readonly status: number;
  /** What happened, for a reader of the log line or the metric. */
  readonly meaning: string;
  /** The `{"error": …}` text the route sends; absent where the answer is not the route's error. */
  readonly message?: string;
}

const SIGNATURE_FAILED = 'signature verification failed';

/**
 * Every outcome of a webhook request, keyed by the word the ingress's log line and the `outcome`
 * label of `webhook_requests_total` carry, so route, log and metric cannot name different things
 * and an alert rule can name only these. The four signature failures share one message: which part
 * failed is for our logs only.
 */
export const REQUEST_OUTCOMES = {
  accepted: {
    status: 200,
    meaning: 'committed (or a duplicate of a committed event) and acknowledged',
  },
  responded: { status: 200, meaning: "a provider's handshake, answered and not stored" },
  unknown_source: { status: 404, meaning: 'no source of that name', message: 'unknown source' },
  unsupported_encoding: {
    status: 415,
    meaning: 'a compressed body, which would verify other bytes than those signed',
    message: 'send the body uncompressed: the signature covers the bytes as sent',
  },
  unsupported_media_type: {
    status: 415,
    meaning: "a content type the source's verifier does not read",
    message: 'unsupported content type',
  },
  missing_signature: {
    status: 401,
    meaning: 'no credential header',
    message: SIGNATURE_FAILED,
  },
  malformed_signature: {
    status: 401,
    meaning: 'a credential header that cannot be a signature',
    message: SIGNATURE_FAILED,
  },
  stale_timestamp: {
    status: 401,
    meaning: 'a signed timestamp outside the tolerance',
    message: SIGNATURE_FAILED,
  },
  no_matching_secret: {
    status: 401,
    meaning: 'no active secret verifies the signature',
    message: SIGNATURE_FAILED,
  },
  keys_unavailable: {
    status: 503,
    meaning:
      "the sender's keys or certificate could not be fetched (its host down, slow or failing): nothing stored, the provider retries",
    message: "the sender's signing keys could not be fetched, retry later",
  },
  wrong_verify_token: {
    status: 403,
    meaning: "a handshake's verify token (Meta's) is not the configured one",
    message: 'verify token does not match',
  },
  malformed_body: {
    status: 400,
    meaning: 'verified, but not an event (the 400 says why when the verifier can)',
    message: 'body is not a valid event',
  },
  too_many_events: {
    status: 413,
    meaning: 'a verified batch carrying more events than BATCH_MAX_EVENTS; nothing stored',
    message: 'the batch holds too many events',
  },
  unstorable: {
    status: 400,
    meaning: 'Postgres refused the payload itself',
    message: 'body is not a valid event',
  },
  unavailable: {
    status: 503,
    meaning: 'Postgres unreachable, failing or too slow: nothing acked, the provider retries',
    message: 'temporarily unavailable, retry later',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, meaning: 'the body passed the size limit' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    meaning: 'the body is not as long as its Content-Length says',
  },
  client_error: { status: 400, meaning: 'any other client error while the body was read' },
  unknown: { status: 500, meaning: 'answered before any outcome was known: an internal error' },
} as const satisfies Record<string, RequestOutcomeEntry>;

export type RequestOutcome = keyof typeof REQUEST_OUTCOMES;

/** The outcome of a client error Fastify raised while reading a body, by its error code. */
export function requestOutcomeOfError(code: string | undefined): RequestOutcome {
  return code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH'
    ? code
    : 'client_error';
}
