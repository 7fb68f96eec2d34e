import { firstHeader, type Headers, type JsonObject, readPath } from './body.ts';
import { sha256Hex } from './crypto.ts';
import { accept, reject, type Verification } from './types.ts';

/** Where a value is read from once the request is verified. Header names are lower-case. */
export type ValueSource =
  | { readonly from: 'header'; readonly names: readonly string[] }
  | { readonly from: 'json'; readonly path: string };

/** body-sha256: for senders without event IDs; a resend of the same bytes dedupes. */
export type IdSource = ValueSource | { readonly from: 'body-sha256' };
export type TypeSource = ValueSource | { readonly from: 'fixed'; readonly value: string };

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
export const fixed = (value: string): TypeSource => ({ from: 'fixed', value });

export interface NamingInput {
  readonly headers: Headers;
  readonly rawBody: Buffer;
  readonly json: JsonObject;
}

function read(source: IdSource | TypeSource, input: NamingInput): string | undefined {
  switch (source.from) {
    case 'header':
      return firstHeader(input.headers, source.names);
    case 'json':
      return readPath(input.json, source.path);
    case 'body-sha256':
      return sha256Hex(input.rawBody);
    case 'fixed':
      return source.value;
    default: {
      const unreachable: never = source;
      throw new Error(`unknown value source ${JSON.stringify(unreachable)}`);
    }
  }
}

function label(source: IdSource | TypeSource): string | undefined {
  if (source.from === 'header') return `header ${source.names.join('/')}`;
  return source.from === 'json' ? `field "${source.path}"` : undefined;
}

const describeSources = (sources: readonly (IdSource | TypeSource)[]): string =>
  sources
    .map(label)
    .filter((text) => text !== undefined)
    .join(' or ');

function firstValue(sources: readonly (IdSource | TypeSource)[], input: NamingInput) {
  for (const source of sources) {
    const value = read(source, input);
    if (value) return value;
  }
  return undefined;
}

/** Names a verified event; `body` is the JSON text to store. */
export function nameEvent(naming: EventNaming, input: NamingInput, body: string): Verification {
  const eventId = firstValue(naming.id, input);
  if (!eventId) return reject('malformed_body', `event ID (${describeSources(naming.id)}) missing`);
  const eventType = firstValue(naming.type, input);
  if (!eventType) {
    return reject('malformed_body', `event type (${describeSources(naming.type)}) missing`);
  }
  return accept({ eventId, eventType, body });
}
