import type { FormParams } from '../form.ts';
import { portVariants } from '../public-url.ts';

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

/** The URLs Twilio may have signed for this request: with and without the default port. */
export function signedUrls(publicUrl: string, pathAndQuery: string): string[] {
  return portVariants(publicUrl).map((base) => `${base}${pathAndQuery}`);
}

/** The `bodySHA256` query parameter, when the request was sent in body-hash mode. */
export function bodyHashParameter(pathAndQuery: string): string | undefined {
  const queryAt = pathAndQuery.indexOf('?');
  if (queryAt < 0) return undefined;
  return new URLSearchParams(pathAndQuery.slice(queryAt + 1)).get('bodySHA256') ?? undefined;
}
