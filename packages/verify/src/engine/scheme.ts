import {
  type EventBody,
  firstHeader,
  type Headers,
  headerValue,
  type JsonObject,
  parseEventBody,
  readPath,
} from '../body.ts';
import { type HmacAlgorithm, type SignatureEncoding, sha256Hex, signedByAny } from '../crypto.ts';
import { type FormParams, isFormContentType, readFormBody } from '../form.ts';
import { type EventNaming, nameEvent } from '../naming.ts';
import { checkTimestamp, parseTimestamp, type TimestampFormat } from '../timestamp.ts';
import {
  type HandshakeAnswer,
  type ImmediateVerifier,
  type IncomingWebhook,
  isJsonContentType,
  reject,
  type Verification,
} from '../types.ts';
import { readSignatures, type SignatureHeader } from './signature-header.ts';
import {
  compileTemplate,
  type SignedTemplate,
  type SignedValues,
  signedMessage,
} from './template.ts';

/** Where the send time is. Only a signed one defends against replay. */
export type TimestampSource =
  | { readonly from: 'signature-header' }
  | { readonly from: 'header'; readonly names: readonly string[] }
  | { readonly from: 'json'; readonly path: string };

export interface Freshness {
  readonly source: TimestampSource;
  readonly format: TimestampFormat;
  readonly toleranceSeconds: number;
}

/** A send time the sender puts in a header of its own (and must sign). */
export const headerTimestamp = (
  names: string | readonly string[],
  format: TimestampFormat,
  toleranceSeconds: number,
): Freshness => ({
  source: { from: 'header', names: typeof names === 'string' ? [names] : names },
  format,
  toleranceSeconds,
});

/** One HMAC signing scheme, declared; every HMAC provider is one of these. */
export interface HmacScheme {
  readonly algorithm: HmacAlgorithm;
  readonly encoding: SignatureEncoding;
  readonly signature: SignatureHeader;
  /** What is signed, e.g. `{body}`, `{timestamp}.{body}`, `{id}.{timestamp}.{body}`. */
  readonly signed: string;
  /** The header whose value `{id}` stands for. */
  readonly signedIdHeader?: readonly string[];
  /** The URL `{url}` stands for, given the request's path and query. */
  readonly url?: (pathAndQuery: string) => string;
  readonly freshness?: Freshness;
  readonly naming: EventNaming;
  /** A verified request the sender wants answered rather than stored (Slack's challenge). */
  readonly respond?: (json: JsonObject, headers: Headers) => HandshakeAnswer | undefined;
  /** Credential headers beyond the signature header (GitHub's legacy SHA-1 signature). */
  readonly otherCredentialHeaders?: readonly string[];
  /**
   * For senders that also post `application/x-www-form-urlencoded`: the event a verified form
   * body stands for. Unset, only JSON bodies are accepted. The signature still covers the raw
   * bytes, whichever form they take.
   */
  readonly formBody?: (params: FormParams) => EventBody;
  /** How a verified JSON body is read, when it is not one event object (a batch's array). */
  readonly readBody?: (raw: Buffer) => EventBody;
}

/** What is wrong with a scheme's template, if anything: a configuration error. */
export function templateProblem(scheme: HmacScheme): string | undefined {
  const compiled = compileTemplate(scheme.signed);
  if (!compiled.ok) return compiled.error;
  const { uses } = compiled.template;
  const source = scheme.freshness?.source.from;
  if (uses.has('timestamp') && (source === undefined || source === 'json')) {
    return '{timestamp} needs a timestamp header';
  }
  // An unsigned timestamp header defends nothing: a replayer would simply send a fresh one.
  if (source === 'header' && !uses.has('timestamp')) {
    return 'a timestamp header must be signed: add {timestamp}';
  }
  if (uses.has('id') && scheme.signedIdHeader === undefined) return '{id} needs an ID header';
  if (uses.has('url') && scheme.url === undefined) return '{url} needs a public URL';
  return undefined;
}

function checkedTemplate(scheme: HmacScheme): SignedTemplate {
  const problem = templateProblem(scheme);
  const compiled = compileTemplate(scheme.signed);
  if (problem !== undefined || !compiled.ok) throw new Error(`signed template: ${problem}`);
  return compiled.template;
}

type Values = { ok: true; values: SignedValues } | { ok: false; rejection: Verification };

function sentValues(
  scheme: HmacScheme,
  template: SignedTemplate,
  request: IncomingWebhook,
  signatureTimestamp: string | undefined,
): Values {
  const source = scheme.freshness?.source;
  const timestamp =
    source?.from === 'header' ? firstHeader(request.headers, source.names) : signatureTimestamp;
  const readable = scheme.freshness && parseTimestamp(timestamp, scheme.freshness.format);
  if (template.uses.has('timestamp') && readable === undefined) {
    return {
      ok: false,
      rejection: reject('malformed_signature', 'timestamp missing or unreadable'),
    };
  }
  const id = scheme.signedIdHeader && firstHeader(request.headers, scheme.signedIdHeader);
  if (template.uses.has('id') && id === undefined) {
    return { ok: false, rejection: reject('malformed_signature', 'message ID missing') };
  }
  return { ok: true, values: { timestamp, id, url: scheme.url?.(request.url) } };
}

/** The verified body as the event to store: JSON, or a form the scheme knows how to read. */
function eventBody(scheme: HmacScheme, request: IncomingWebhook): EventBody {
  const contentType = headerValue(request.headers, 'content-type') ?? '';
  if (!scheme.formBody || !isFormContentType(contentType)) {
    return (scheme.readBody ?? parseEventBody)(request.rawBody);
  }
  const form = readFormBody(request.rawBody);
  return form.ok ? scheme.formBody(form.params) : form;
}

export function hmacSchemeVerifier(scheme: HmacScheme, keys: readonly Buffer[]): ImmediateVerifier {
  const template = checkedTemplate(scheme);
  const freshness = scheme.freshness;
  const takesForms = scheme.formBody !== undefined;
  return {
    credentialHeaders: [...scheme.signature.names, ...(scheme.otherCredentialHeaders ?? [])].map(
      (name) => name.toLowerCase(),
    ),
    acceptsContentType: (type) =>
      isJsonContentType(type) || (takesForms && isFormContentType(type)),
    verify(request) {
      const sent = readSignatures(scheme.signature, scheme.encoding, request.headers);
      if (!sent.ok) return sent.rejection;
      const values = sentValues(scheme, template, request, sent.timestamp);
      if (!values.ok) return values.rejection;
      const message = signedMessage(template, request.rawBody, values.values);
      if (!signedByAny(scheme.algorithm, keys, [message], sent.signatures)) {
        return reject('no_matching_secret');
      }
      if (freshness && freshness.source.from !== 'json') {
        const stale = checkTimestamp(values.values.timestamp, request.now, freshness);
        if (stale) return stale;
      }

      const body = eventBody(scheme, request);
      if (!body.ok) return reject('malformed_body', body.detail);
      if (freshness?.source.from === 'json') {
        const stale = checkTimestamp(
          readPath(body.json, freshness.source.path),
          request.now,
          freshness,
        );
        if (stale) return stale;
      }
      const answer = scheme.respond?.(body.json, request.headers);
      if (answer !== undefined) return { kind: 'respond', body: answer };
      const signedContent = () => sha256Hex(message);
      const signedHeaders = template.uses.has('id') ? scheme.signedIdHeader : undefined;
      return nameEvent(
        scheme.naming,
        { ...request, json: body.json, signedContent, signedHeaders },
        body.text,
      );
    },
  };
}
