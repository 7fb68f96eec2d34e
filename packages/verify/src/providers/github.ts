import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { jsonInField } from '../form.ts';
import { header } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { noOptions } from './options.ts';

/**
 * `X-Hub-Signature-256: sha256=<hex HMAC of the body>`. GitHub sends no timestamp, so replay
 * defence is the dedupe on `X-GitHub-Delivery` alone. A webhook set to the form content type
 * posts `payload=<URL-encoded JSON>`; the signature covers those bytes as sent.
 */
export const githubOptions = noOptions;

export function githubVerifier(_options: unknown, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      signature: { kind: 'single', names: ['x-hub-signature-256'], prefix: 'sha256=' },
      signed: '{body}',
      naming: { id: [header('x-github-delivery')], type: [header('x-github-event')] },
      otherCredentialHeaders: ['x-hub-signature'],
      formBody: (params) => jsonInField(params, 'payload'),
    },
    utf8Keys(secrets),
  );
}
