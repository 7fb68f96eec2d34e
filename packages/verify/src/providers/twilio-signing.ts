import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
import type { FormParams } from '../form.ts';
import { publicUrlOf } from '../public-url.ts';

/**
 * What Twilio signs (HMAC-SHA1, base64, in `X-Twilio-Signature`): the full URL it requested,
 * then, for a form body, every parameter as key + value, keys sorted, a repeated key's distinct
 * values sorted. A JSON body is covered instead by a `bodySHA256` query parameter: the URL
 * alone is signed, and the body's SHA-256 must equal it.
 */
export function signedParams(params: FormParams): string {
  let text = '';
  for (const key of [...params.keys()].sort()) {
    const values = [...new Set(params.get(key))].sort();
    for (const value of values) text += key + value;
  }
  return text;
}

const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i;

/** The URL without any port, then with its port (the scheme's default if it names none). */
function portForms(url: string): string[] {
  const match = AUTHORITY.exec(url);
  if (!match) return [url];
  const [prefix, scheme = '', authority = ''] = match;
  const hostAt = authority.lastIndexOf('@') + 1;
  const hostAndPort = authority.slice(hostAt);
  // A colon starts the port only after an IPv6 literal's closing bracket.
  const portAt = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  const host = portAt < 0 ? hostAndPort : hostAndPort.slice(0, portAt);
  const defaultPort = scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  const port = portAt < 0 ? defaultPort : hostAndPort.slice(portAt);
  const before = scheme + authority.slice(0, hostAt) + host;
  const rest = url.slice(prefix.length);
  return [before + rest, before + port + rest];
}

/** The query re-encoded as Node's legacy `querystring` module writes it (`'` as `%27`, …). */
function withLegacyQuery(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0 || queryAt === url.length - 1) return url;
  return `${url.slice(0, queryAt)}?${stringifyQuery(parseQuery(url.slice(queryAt + 1)))}`;
}

/**
 * The URLs Twilio may have signed for this request, the ones Twilio's SDK tries: as received and
 * as the WHATWG parser normalises it, each with and without the port, and the normalised one with
 * its query re-encoded the legacy way. A proxy in between may have re-encoded the query string,
 * or added or dropped the default port, without breaking a genuine request.
 */
export function signedUrls(publicUrl: string, pathAndQuery: string): string[] {
  const received = publicUrlOf(publicUrl, pathAndQuery);
  const normalized = portForms(new URL(received).toString());
  const forms = [...portForms(received), ...normalized, ...normalized.map(withLegacyQuery)];
  return [...new Set(forms)];
}

/** The `bodySHA256` query parameter, when the request was sent in body-hash mode. */
export function bodyHashParameter(pathAndQuery: string): string | undefined {
  const queryAt = pathAndQuery.indexOf('?');
  if (queryAt < 0) return undefined;
  return new URLSearchParams(pathAndQuery.slice(queryAt + 1)).get('bodySHA256') ?? undefined;
}
