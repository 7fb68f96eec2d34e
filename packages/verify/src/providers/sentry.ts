import { randomUUID } from 'node:crypto';
import { json, type Sample, type SignedSample, sentrySignature } from '@webhook-inbox/signing';
import { bodyHmac } from '../engine/body-hmac.ts';
import { field, header, joined } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { noOptions } from './options.ts';

/**
 * Sentry integration-platform webhooks: `Sentry-Hook-Signature: <hex HMAC-SHA256 of the body>`
 * keyed by the integration's client secret. `Sentry-Hook-Timestamp` is sent but not signed, so
 * it defends nothing and is not checked. The type joins the resource header to the body's
 * `action` (`issue.created`, `installation.deleted`), as Sentry's docs name them.
 */
const SIGNATURE = 'sentry-hook-signature';
const RESOURCE = header('sentry-hook-resource');

const sentryVerifier = bodyHmac({
  algorithm: 'sha256',
  encoding: 'hex',
  header: SIGNATURE,
  naming: {
    id: [header('request-id')],
    type: [joined('.', RESOURCE, field('action')), RESOURCE],
  },
});

function sentrySample(s: Sample): SignedSample {
  const [resource = 'issue', action = 'created'] = (s.type ?? 'issue.created').split('.');
  const body = JSON.stringify({
    action,
    installation: { uuid: randomUUID() },
    data: s.data ?? { issue: { id: '1170820242', title: 'Sample error', status: 'unresolved' } },
    actor: { type: 'application', id: 'sentry', name: 'Sentry' },
  });
  return json(
    s,
    {
      'Request-ID': s.id ?? randomUUID(),
      'Sentry-Hook-Resource': resource,
      'Sentry-Hook-Timestamp': String(s.seconds),
      'Sentry-Hook-Signature': sentrySignature(s.source.secret, body),
    },
    body,
  );
}

export const sentry = defineProvider({
  name: 'sentry',
  options: noOptions,
  verifier: sentryVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: false,
  sample: sentrySample,
  docs: {
    senders: 'integration platform',
    entry: { name: 'sentry', secret: 'env:SENTRY_CLIENT_SECRET' },
    verified: '`Sentry-Hook-Signature`: hex HMAC-SHA256 of the body (client secret)',
    replayWindow: 'none (`Sentry-Hook-Timestamp` is not signed)',
    eventId: 'header `Request-ID`',
    eventType: 'header `Sentry-Hook-Resource` + `.` + body `action` (`issue.created`, …)',
    oracle: { documented: 'receiver code' },
  },
});
