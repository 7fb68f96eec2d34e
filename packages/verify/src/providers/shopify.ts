import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { header } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { noOptions } from './options.ts';

/**
 * `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>`. Newer API versions send the same
 * headers without the `X-` prefix (`Shopify-Hmac-Sha256`, `Shopify-Topic`, …); either is read.
 * No signed timestamp, so replay defence is the dedupe on the event ID.
 */
export const shopifyOptions = noOptions;

export function shopifyVerifier(_options: unknown, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'base64',
      signature: {
        kind: 'single',
        names: ['x-shopify-hmac-sha256', 'shopify-hmac-sha256'],
        prefix: '',
      },
      signed: '{body}',
      naming: {
        id: [
          header('x-shopify-event-id', 'shopify-event-id'),
          header('x-shopify-webhook-id', 'shopify-webhook-id'),
        ],
        type: [header('x-shopify-topic', 'shopify-topic')],
      },
    },
    utf8Keys(secrets),
  );
}
