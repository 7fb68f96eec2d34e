import { firstHeader, type Headers, type JsonObject, readPath } from './body.ts';
import { sha256Hex } from './crypto.ts';
import { accept, reject, type Verification } from './types.ts';

/** Where a value is read from once the request is verified. Header names are lower-case. */
export type ValueSource =
  | { readonly from: 'header'; readonly names: readonly string[] }
  | { readonly from: 'json'; readonly path: string };

/** Every part's value, in order, with the separator (Sentry's `<resource>.<action>`). */
export type JoinedSource = {
  readonly from: 'joined';
  readonly parts: readonly ValueSource[];
  readonly separator: string;
};

/**
 * body-sha256: for senders without event IDs; a resend of the same bytes dedupes.
 * signed-content: the SHA-256 of what the signature covers, for schemes (Twilio's) where the
 * body's bytes are not what is signed. joined: for senders whose ID is several fields (DocuSign).
 */
export type IdSource =
  | ValueSource
  | JoinedSource
  | { readonly from: 'body-sha256' }
  | { readonly from: 'signed-content' };
export type TypeSource =
  | ValueSource
  | JoinedSource
  | { readonly from: 'fixed'; readonly value: string };

/** Each list is tried in order; the first source with a non-empty value names the event. */
export interface EventNaming {
  readonly id: readonly IdSource[];
  readonly type: readonly TypeSource[];
}

export const header = (...names: string[]): ValueSource => ({
  from: 'header',
  names: names.map((name) => name.toLowerCase()),
});
export const field = (path: string): ValueSource => ({ from: 'json', path });
export const bodySha256: IdSource = { from: 'body-sha256' };
export const signedContentSha256: IdSource = { from: 'signed-content' };
export const fixed = (value: string): TypeSource => ({ from: 'fixed', value });
export const joined = (separator: string, ...parts: ValueSource[]): JoinedSource => ({
  from: 'joined',
  parts,
  separator,
});

export interface NamingInput {
  readonly headers: Headers;
  readonly rawBody: Buffer;
  readonly json: JsonObject;
  /** The SHA-256 (hex) of what the signature covers; absent when nothing is signed (API keys). */
  readonly signedContent?: () => string;
  /** Headers (lower-case) the signature covers; any other header could be rewritten in transit. */
  readonly signedHeaders?: readonly string[];
}

function read(source: IdSource | TypeSource, input: NamingInput): string | undefined {
  switch (source.from) {
    case 'header':
      return firstHeader(input.headers, source.names);
    case 'json':
      return readPath(input.json, source.path);
    case 'body-sha256':
      return sha256Hex(input.rawBody);
    case 'signed-content':
      return input.signedContent?.();
    case 'fixed':
      return source.value;
    case 'joined': {
      const values = source.parts.map((part) => read(part, input));
      return values.every((value) => value) ? values.join(source.separator) : undefined;
    }
    default: {
      const unreachable: never = source;
      throw new Error(`unknown value source ${JSON.stringify(unreachable)}`);
    }
  }
}

function label(source: IdSource | TypeSource): string | undefined {
  if (source.from === 'header') return `header ${source.names.join('/')}`;
  if (source.from === 'joined') return source.parts.map(label).join(' + ');
  return source.from === 'json' ? `field "${source.path}"` : undefined;
}

const describeSources = (sources: readonly (IdSource | TypeSource)[]): string =>
  sources
    .map(label)
    .filter((text) => text !== undefined)
    .join(' or ');

function firstValue<Source extends IdSource | TypeSource>(
  sources: readonly Source[],
  input: NamingInput,
): { value: string; source: Source } | undefined {
  for (const source of sources) {
    const value = read(source, input);
    if (value) return { value, source };
  }
  return undefined;
}

const isSignedHeader = (source: IdSource | TypeSource, signed: readonly string[] = []): boolean => {
  if (source.from === 'joined') return source.parts.every((part) => isSignedHeader(part, signed));
  return source.from !== 'header' || source.names.every((name) => signed.includes(name));
};

/**
 * What identifies a delivery's signed content: the digest of what is signed and, when the type
 * comes from a header the signature does not cover, that type too. Shopify sends one order's
 * bytes to `orders/create`, `orders/updated` and `orders/paid`, and GitHub one body under several
 * events: those are distinct events, while the same topic replayed under a new ID is not.
 */
function signedContentKey(
  signedDigest: string,
  type: { value: string; source: TypeSource },
  signedHeaders: readonly string[] | undefined,
): string {
  if (isSignedHeader(type.source, signedHeaders)) return signedDigest;
  return sha256Hex(Buffer.from(`${type.value}\n${signedDigest}`, 'utf8'));
}

/**
 * Names a verified event; `body` is the JSON text to store. An ID read from a header the
 * signature does not cover (GitHub's delivery GUID, Shopify's event ID) could be changed by
 * whoever replays a captured request, so such an event also carries the key of its signed
 * content: the inbox treats a second event with that key as a duplicate.
 */
export function nameEvent(naming: EventNaming, input: NamingInput, body: string): Verification {
  const id = firstValue(naming.id, input);
  if (!id) return reject('malformed_body', `event ID (${describeSources(naming.id)}) missing`);
  const type = firstValue(naming.type, input);
  if (!type) {
    return reject('malformed_body', `event type (${describeSources(naming.type)}) missing`);
  }
  const event = { eventId: id.value, eventType: type.value, body };
  if (isSignedHeader(id.source, input.signedHeaders) || !input.signedContent) return accept(event);
  const key = signedContentKey(input.signedContent(), type, input.signedHeaders);
  return accept({ ...event, signedContentSha256: key });
}
