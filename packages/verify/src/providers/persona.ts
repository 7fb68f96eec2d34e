import {
  hex,
  json,
  personaSignature,
  type Sample,
  type SignedSample,
} from '@webhook-inbox/signing';
import { timestampedListVerifier } from '../engine/list-scheme.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { replayWindowOptions } from './options.ts';

/**
 * Persona: `Persona-Signature: t=<unix>,v1=<hex>`, the HMAC-SHA256 of `<t>.<body>` keyed by the
 * webhook's `wbhsec_…` secret. While a secret is rotated Persona sends one `t=…,v1=…` pair per
 * secret, separated by a space; any `v1` may match. Its docs set no replay window: 300 s is ours.
 * The body is JSON:API, an event resource: `data.id` (`evt_…`) and `data.attributes.name`.
 */
const personaOptions = replayWindowOptions(300);

const SIGNATURE = 'persona-signature';

const personaVerifier = timestampedListVerifier({
  header: SIGNATURE,
  // A space only before the next pair's `t=`: `t=… v1=…` is no form Persona sends.
  entrySeparator: /,| (?=t=)/,
  timestampPerSignature: true,
  naming: { id: [field('data.id')], type: [field('data.attributes.name')] },
});

function personaSample(s: Sample): SignedSample {
  const body = JSON.stringify({
    data: {
      type: 'event',
      id: s.id ?? `evt_${hex(12)}`,
      attributes: {
        name: s.type ?? 'inquiry.completed',
        payload: { data: s.data ?? { type: 'inquiry', id: `inq_${hex(12)}` } },
        'created-at': s.at.toISOString(),
      },
    },
  });
  return json(
    s,
    { 'Persona-Signature': personaSignature([s.source.secret], s.seconds, body) },
    body,
  );
}

export const persona = defineProvider({
  name: 'persona',
  options: personaOptions,
  verifier: personaVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  sample: personaSample,
  docs: {
    entry: { name: 'persona', secret: 'env:PERSONA_WEBHOOK_SECRET' },
    verified:
      '`Persona-Signature: t=…,v1=…` (a space-separated pair per secret while one is rotated): hex HMAC-SHA256 of `<t>.<body>`',
    replayWindow: '±300 s (`toleranceSeconds`)',
    eventId: 'body `data.id` (`evt_…`)',
    eventType: 'body `data.attributes.name`',
    oracle: { documented: 'receiver code' },
  },
});
