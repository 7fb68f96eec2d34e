import { sign as githubSign } from '@octokit/webhooks-methods';
import { sentrySignature, vercelSignature } from '@webhook-inbox/signing';
import { json, type ProviderCase } from './case.ts';

export const gitlabBody = Buffer.from(
  JSON.stringify({
    object_kind: 'merge_request',
    event_type: 'merge_request',
    user: { id: 1, username: 'root' },
    project: { id: 1, path_with_namespace: 'gitlabhq/gitlab-test' },
    object_attributes: { id: 99, iid: 1, action: 'open', state: 'opened' },
  }),
);

export const bitbucketBody = Buffer.from(
  JSON.stringify({
    repository: { type: 'repository', full_name: 'team/repo', uuid: '{d4b1a5c2}' },
    actor: { type: 'user', display_name: 'Ada' },
    push: { changes: [{ new: { type: 'branch', name: 'main' } }] },
  }),
);

export const sentryBody = Buffer.from(
  JSON.stringify({
    action: 'created',
    installation: { uuid: '7a485448-a9e2-4c85-8a3c-4f44175783c9' },
    data: { issue: { id: '1170820242', title: 'ReferenceError: x is not defined' } },
    actor: { type: 'application', id: 'sentry', name: 'Sentry' },
  }),
);

export const vercelBody = Buffer.from(
  JSON.stringify({
    id: 'evt_9b0ACDpPQOLsmJOi3OBVbZfV',
    type: 'deployment.succeeded',
    createdAt: 1780315199000,
    region: 'iad1',
    payload: { deployment: { id: 'dpl_2qz9Xq', url: 'app.vercel.app' }, project: { id: 'prj_1' } },
  }),
);

/** Bitbucket signs as GitHub does, so GitHub's own signer stands in for its sender. */
export const DEV_PLATFORM_CASES: readonly ProviderCase[] = [
  {
    label: 'gitlab',
    provider: 'gitlab',
    secret: 'gitlab_current_token',
    otherSecret: 'gitlab_previous_token',
    sign: async (secret) => ({
      headers: {
        ...json,
        'X-Gitlab-Event': 'Merge Request Hook',
        'X-Gitlab-Event-UUID': '1a2b3c4d-0000-4000-8000-00000000e1d1',
        'Idempotency-Key': 'f6f0a0f4-6d1e-4c1e-9b8a-3a9d1a0c0001',
        'X-Gitlab-Token': secret,
      },
      body: gitlabBody,
      url: '/webhooks/gitlab',
    }),
    signatureHeader: 'X-Gitlab-Token',
    garbled: 'no_matching_secret',
    credentialOnly: true,
    expected: { eventId: 'f6f0a0f4-6d1e-4c1e-9b8a-3a9d1a0c0001', eventType: 'Merge Request Hook' },
  },
  {
    label: 'bitbucket',
    provider: 'bitbucket',
    secret: 'bitbucket_current_secret',
    otherSecret: 'bitbucket_previous_secret',
    sign: async (secret) => ({
      headers: {
        ...json,
        'X-Event-Key': 'repo:push',
        'X-Request-UUID': 'c0a9d4b6-1a55-4f0e-9d2c-6b1e5a1b0001',
        'X-Hub-Signature': await githubSign(secret, bitbucketBody.toString('utf8')),
      },
      body: bitbucketBody,
      url: '/webhooks/bitbucket',
    }),
    signatureHeader: 'X-Hub-Signature',
    unsignedIdHeader: 'X-Request-UUID',
    garbled: 'malformed_signature',
    expected: { eventId: 'c0a9d4b6-1a55-4f0e-9d2c-6b1e5a1b0001', eventType: 'repo:push' },
  },
  {
    label: 'sentry',
    provider: 'sentry',
    secret: 'sentry_current_client_secret',
    otherSecret: 'sentry_previous_client_secret',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        'Request-ID': '6b0a0f1e-7c4d-4f9a-9e0b-5a5b8c0d0001',
        'Sentry-Hook-Resource': 'issue',
        'Sentry-Hook-Timestamp': String(Math.floor(at.getTime() / 1000)),
        'Sentry-Hook-Signature': sentrySignature(secret, sentryBody),
      },
      body: sentryBody,
      url: '/webhooks/sentry',
    }),
    signatureHeader: 'Sentry-Hook-Signature',
    unsignedIdHeader: 'Request-ID',
    garbled: 'malformed_signature',
    expected: { eventId: '6b0a0f1e-7c4d-4f9a-9e0b-5a5b8c0d0001', eventType: 'issue.created' },
  },
  {
    label: 'vercel',
    provider: 'vercel',
    secret: 'vercel_current_secret',
    otherSecret: 'vercel_previous_secret',
    sign: async (secret) => ({
      headers: { ...json, 'x-vercel-signature': vercelSignature(secret, vercelBody) },
      body: vercelBody,
      url: '/webhooks/vercel',
    }),
    signatureHeader: 'x-vercel-signature',
    garbled: 'malformed_signature',
    expected: { eventId: 'evt_9b0ACDpPQOLsmJOi3OBVbZfV', eventType: 'deployment.succeeded' },
  },
];
