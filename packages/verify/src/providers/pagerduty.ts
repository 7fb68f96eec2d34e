import {
  hex,
  json,
  pagerDutySignature,
  type Sample,
  type SignedSample,
} from '@webhook-inbox/signing';
import { utf8Keys } from '../crypto.ts';
import { listSignatureHeader } from '../engine/list-scheme.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { noOptions } from './options.ts';

/**
 * PagerDuty (v3 webhook subscriptions): `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]`, the
 * HMAC-SHA256 of the body, one `v1` per active secret while one is rotated. No timestamp is
 * signed: replay defence is the dedupe on `event.id`, which the signature covers.
 */
const SIGNATURE = 'x-pagerduty-signature';

function pagerDutyVerifier(_options: unknown, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      signature: listSignatureHeader({ header: SIGNATURE }),
      signed: '{body}',
      naming: { id: [field('event.id')], type: [field('event.event_type')] },
    },
    utf8Keys(secrets),
  );
}

function pagerDutySample(s: Sample): SignedSample {
  const body = JSON.stringify({
    event: {
      id: s.id ?? `01${hex(12).toUpperCase()}`,
      event_type: s.type ?? 'incident.triggered',
      resource_type: 'incident',
      occurred_at: s.at.toISOString(),
      agent: null,
      data: s.data ?? { id: `P${hex(3).toUpperCase()}`, type: 'incident', status: 'triggered' },
    },
  });
  return json(s, { 'X-PagerDuty-Signature': pagerDutySignature([s.source.secret], body) }, body);
}

export const pagerDuty = defineProvider({
  name: 'pagerduty',
  options: noOptions,
  verifier: pagerDutyVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: false,
  sample: pagerDutySample,
  docs: {
    entry: { name: 'pagerduty', secret: 'env:PAGERDUTY_WEBHOOK_SECRET' },
    verified:
      '`X-PagerDuty-Signature: v1=…[,v1=…]`: hex HMAC-SHA256 of the body, one `v1` per active secret',
    replayWindow: 'none (no signed timestamp)',
    eventId: 'body `event.id`',
    eventType: 'body `event.event_type`',
    oracle: { documented: 'receiver code' },
  },
});
