import { randomUUID } from 'node:crypto';
import { json, type Sample, type SignedSample } from '@webhook-inbox/signing';
import { bodySha256, field, header } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { noOptions } from './options.ts';
import { oneOf, sharedSecretVerifier } from './shared-secret.ts';

/**
 * GitLab signs nothing: `X-Gitlab-Token` carries the webhook's secret token as typed in its
 * settings. `Idempotency-Key` (GitLab 17.4+) is the same on every retry of one delivery; older
 * instances send only `X-Gitlab-Event-UUID`, and the body's SHA-256 is the last resort.
 */
const TOKEN = 'x-gitlab-token';

function gitlabVerifier(_options: unknown, secrets: readonly string[]): Verifier {
  return sharedSecretVerifier({
    header: TOKEN,
    check: oneOf(secrets),
    naming: {
      id: [header('idempotency-key'), header('x-gitlab-event-uuid'), bodySha256],
      type: [header('x-gitlab-event'), field('object_kind')],
    },
  });
}

function gitlabSample(s: Sample): SignedSample {
  const id = s.id ?? randomUUID();
  const body = JSON.stringify(
    s.data ?? {
      object_kind: 'push',
      event_name: 'push',
      ref: 'refs/heads/main',
      project: { id: 15, path_with_namespace: 'sample/project' },
      commits: [],
    },
  );
  return json(
    s,
    {
      'X-Gitlab-Event': s.type ?? 'Push Hook',
      'X-Gitlab-Event-UUID': id,
      'Idempotency-Key': id,
      'X-Gitlab-Token': s.source.secret,
    },
    body,
  );
}

export const gitlab = defineProvider({
  name: 'gitlab',
  options: noOptions,
  verifier: gitlabVerifier,
  credentialHeaders: [TOKEN],
  signedTimestamp: false,
  sample: gitlabSample,
  docs: {
    entry: { name: 'gitlab', secret: 'env:GITLAB_WEBHOOK_TOKEN' },
    verified:
      '`X-Gitlab-Token` equals the secret token (nothing is signed; the body is not covered)',
    replayWindow: 'none',
    eventId: "header `Idempotency-Key`, else `X-Gitlab-Event-UUID`, else the body's SHA-256",
    eventType: 'header `X-Gitlab-Event` (`Push Hook`, …), else body `object_kind`',
    oracle: 'none',
  },
});
