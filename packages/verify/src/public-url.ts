import { z } from 'zod';

/** An absolute http(s) URL with no query or fragment: where the sender posts, as it sees it. */
export const publicUrlOption = z.url({ protocol: /^https?$/ }).refine((text) => {
  // Runs even when the URL check above failed; that failure is reported there.
  if (!URL.canParse(text)) return true;
  const url = new URL(text);
  return url.search === '' && url.hash === '';
}, 'must have no query string or fragment');

/**
 * The URL the sender signed: our public base (the ingress sits behind proxies, so the host and
 * scheme it sees are not the sender's) followed by the path and query as received.
 */
export function publicUrlOf(base: string, pathAndQuery: string): string {
  return `${base.replace(/\/+$/, '')}${pathAndQuery}`;
}

/**
 * The base with and without its default port: some senders (Twilio) sign one form or the
 * other, and their SDKs accept both.
 */
export function portVariants(base: string): string[] {
  const url = new URL(base);
  const path = url.pathname.replace(/\/+$/, '');
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  const withPort = `${url.protocol}//${url.hostname}:${url.port || defaultPort}${path}`;
  if (url.port !== '') return [withPort];
  return [`${url.protocol}//${url.hostname}${path}`, withPort];
}
