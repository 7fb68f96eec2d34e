import { randomUUID } from 'node:crypto';
import { githubSignature, json, type Sample, type SignedSample } from '@webhook-inbox/signing';
import { bodyHmac } from '../engine/body-hmac.ts';
import { jsonInField } from '../form.ts';
import { header } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { noOptions } from './options.ts';

/**
 * `X-Hub-Signature-256: sha256=<hex HMAC of the body>`. GitHub sends no timestamp, so replay
 * defence is the dedupe on `X-GitHub-Delivery` alone. A webhook set to the form content type
 * posts `payload=<URL-encoded JSON>`; the signature covers those bytes as sent.
 */
const SIGNATURE = 'x-hub-signature-256';
/** The legacy SHA-1 signature: never accepted on its own, never stored. */
const LEGACY_SIGNATURE = 'x-hub-signature';

const githubVerifier = bodyHmac({
  algorithm: 'sha256',
  encoding: 'hex',
  header: SIGNATURE,
  prefix: 'sha256=',
  naming: { id: [header('x-github-delivery')], type: [header('x-github-event')] },
  otherCredentialHeaders: [LEGACY_SIGNATURE],
  formBody: (params) => jsonInField(params, 'payload'),
});

function githubSample(s: Sample): SignedSample {
  const body = JSON.stringify(s.data ?? { zen: 'Keep it logically awesome.', hook_id: 1 });
  return json(
    s,
    {
      'X-GitHub-Event': s.type ?? 'ping',
      'X-GitHub-Delivery': s.id ?? randomUUID(),
      'X-Hub-Signature-256': githubSignature(s.source.secret, body),
    },
    body,
  );
}

export const github = defineProvider({
  name: 'github',
  options: noOptions,
  verifier: githubVerifier,
  credentialHeaders: [SIGNATURE, LEGACY_SIGNATURE],
  signedTimestamp: false,
  sample: githubSample,
  docs: {
    entry: { name: 'github', secret: 'env:GITHUB_SECRET' },
    verified:
      '`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`; JSON or form (`payload=`) bodies',
    replayWindow: 'none (GitHub sends no timestamp)',
    eventId: 'header `X-GitHub-Delivery`',
    eventType: 'header `X-GitHub-Event`',
    oracle: { sdk: ['@octokit/webhooks-methods'] },
  },
});
