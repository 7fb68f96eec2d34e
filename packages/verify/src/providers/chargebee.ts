import {
  basicAuthorization,
  hex,
  json,
  type Sample,
  type SignedSample,
} from '@webhook-inbox/signing';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { basicAuth } from './basic-auth.ts';
import { noOptions } from './options.ts';

/**
 * Chargebee signs nothing: a webhook is protected by the username and password set on it, sent
 * as `Authorization: Basic …`. So this is the basic-auth check with Chargebee's naming: the
 * event's `id` (`ev_…`) and `event_type`. Each secret is the `user:password` pair.
 */
function chargebeeVerifier(_options: unknown, secrets: readonly string[]): Verifier {
  return basicAuth.create({ idField: 'id', typeField: 'event_type' }, secrets);
}

function chargebeeSample(s: Sample): SignedSample {
  const body = JSON.stringify({
    id: s.id ?? `ev_${hex(8)}`,
    occurred_at: s.seconds,
    source: 'admin_console',
    object: 'event',
    api_version: 'v2',
    content: s.data ?? { subscription: { id: `sub_${hex(6)}`, status: 'active' } },
    event_type: s.type ?? 'subscription_created',
    webhook_status: 'scheduled',
  });
  return json(s, { Authorization: basicAuthorization(s.source.secret) }, body);
}

export const chargebee = defineProvider({
  name: 'chargebee',
  options: noOptions,
  verifier: chargebeeVerifier,
  credentialHeaders: ['authorization'],
  signedTimestamp: false,
  sample: chargebeeSample,
  sampleSecret: 'user:password',
  docs: {
    entry: { name: 'chargebee', secret: 'env:CHARGEBEE_WEBHOOK_USER_PASSWORD' },
    verified:
      "`Authorization: Basic …` against the webhook's `user:password`; the body is not covered",
    replayWindow: 'none',
    eventId: 'body `id` (`ev_…`)',
    eventType: 'body `event_type`',
    oracle: { documented: 'test vector' },
  },
});
