import { randomUUID } from 'node:crypto';
import {
  SAMPLE_KEYS,
  type Sample,
  type SignedSample,
  sampleKey,
  telnyxSignature,
  timestampedJson,
} from '@webhook-inbox/signing';
import type { z } from 'zod';
import { publicKeySchemeVerifier } from '../engine/public-key-scheme.ts';
import { ed25519PublicKey } from '../engine/public-keys.ts';
import { singleHeader } from '../engine/signature-header.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { replayWindowOptions } from './options.ts';

/**
 * Telnyx (API v2): `telnyx-signature-ed25519`, the base64 Ed25519 signature of
 * `<telnyx-timestamp>|<body>`, checked with the account's base64 public key (the secret).
 */
const telnyxOptions = replayWindowOptions(300);

type TelnyxOptions = z.infer<typeof telnyxOptions>;

const SIGNATURE = 'telnyx-signature-ed25519';

function telnyxVerifier(options: TelnyxOptions, secrets: readonly string[]): Verifier {
  return publicKeySchemeVerifier(
    {
      algorithm: 'ed25519',
      encoding: 'base64',
      signature: singleHeader(SIGNATURE),
      signed: '{timestamp}|{body}',
      timestamp: { names: ['telnyx-timestamp'], toleranceSeconds: options.toleranceSeconds },
      naming: { id: [field('data.id')], type: [field('data.event_type')] },
    },
    secrets.map((secret) => ed25519PublicKey(secret, 'base64', 'a telnyx public key')),
  );
}

function telnyxSample(s: Sample): SignedSample {
  const key = sampleKey('telnyx', s.source.secret);
  const body = JSON.stringify({
    data: {
      event_type: s.type ?? 'message.received',
      id: s.id ?? randomUUID(),
      occurred_at: s.at.toISOString(),
      payload: s.data ?? { direction: 'inbound', text: 'Hello from webhook-inbox' },
      record_type: 'event',
    },
    meta: { attempt: 1 },
  });
  return timestampedJson(
    s,
    { signature: 'telnyx-signature-ed25519', timestamp: 'telnyx-timestamp' },
    body,
    (timestamp) => telnyxSignature(key, timestamp, body),
  );
}

export const telnyx = defineProvider({
  name: 'telnyx',
  options: telnyxOptions,
  verifier: telnyxVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  sample: telnyxSample,
  sampleSecret: SAMPLE_KEYS.telnyx.configured,
  docs: {
    entry: { name: 'telnyx', secret: '<public key, base64>' },
    verified:
      '`telnyx-signature-ed25519`: base64 Ed25519 signature of `<telnyx-timestamp>|<body>`, checked with the public key',
    replayWindow: '±300 s (`toleranceSeconds`)',
    eventId: 'body `data.id`',
    eventType: 'body `data.event_type`',
    oracle: { documented: 'receiver code' },
  },
});
