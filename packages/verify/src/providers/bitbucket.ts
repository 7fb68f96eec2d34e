import { randomUUID } from 'node:crypto';
import { bitbucketSignature, json, type Sample, type SignedSample } from '@webhook-inbox/signing';
import { bodyHmac } from '../engine/body-hmac.ts';
import { header } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { noOptions } from './options.ts';

/**
 * Bitbucket Cloud: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>`, GitHub's scheme
 * under GitHub's legacy SHA-1 header name. No timestamp; `X-Request-UUID` names the delivery
 * and `X-Event-Key` (`repo:push`, `pullrequest:created`, …) the event, neither signed.
 */
const SIGNATURE = 'x-hub-signature';

const bitbucketVerifier = bodyHmac({
  algorithm: 'sha256',
  encoding: 'hex',
  header: SIGNATURE,
  prefix: 'sha256=',
  naming: { id: [header('x-request-uuid')], type: [header('x-event-key')] },
});

function bitbucketSample(s: Sample): SignedSample {
  const body = JSON.stringify(
    s.data ?? {
      repository: { type: 'repository', full_name: 'sample/repo', uuid: '{sample-repo}' },
      actor: { type: 'user', display_name: 'Sample User' },
      push: { changes: [] },
    },
  );
  return json(
    s,
    {
      'X-Event-Key': s.type ?? 'repo:push',
      'X-Request-UUID': s.id ?? randomUUID(),
      'X-Hook-UUID': randomUUID(),
      'X-Hub-Signature': bitbucketSignature(s.source.secret, body),
    },
    body,
  );
}

export const bitbucket = defineProvider({
  name: 'bitbucket',
  options: noOptions,
  verifier: bitbucketVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: false,
  sample: bitbucketSample,
  docs: {
    senders: 'Bitbucket Cloud',
    entry: { name: 'bitbucket', secret: 'env:BITBUCKET_WEBHOOK_SECRET' },
    verified: '`X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>`',
    replayWindow: 'none (no timestamp)',
    eventId: 'header `X-Request-UUID`',
    eventType: 'header `X-Event-Key` (`repo:push`, …)',
    oracle: { sdk: ['@octokit/webhooks-methods'] },
  },
});
