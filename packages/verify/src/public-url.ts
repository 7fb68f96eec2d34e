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
