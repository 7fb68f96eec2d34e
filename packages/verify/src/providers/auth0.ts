import { randomUUID } from 'node:crypto';
import { hex, json, type Sample, type SignedSample } from '@webhook-inbox/signing';
import { z } from 'zod';
import { bodySha256, fixed } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { arrayBody, firstOf, itemField, readArrayBody } from './batch-shapes.ts';
import { oneOf, sharedSecretVerifier } from './shared-secret.ts';

/**
 * Auth0 log streams to a custom webhook: the "Authorization Token" configured on the stream is
 * sent as is in `Authorization` (e.g. `Bearer …`; the whole value is the secret), and the body
 * is a JSON array of logs, each `{log_id, data}`. Nothing is signed or timed.
 */
export const auth0Options = z
  .object({ header: z.string().min(1).default('authorization') })
  .strict();

function auth0Verifier(
  options: z.infer<typeof auth0Options>,
  secrets: readonly string[],
): Verifier {
  return sharedSecretVerifier({
    header: options.header,
    check: oneOf(secrets),
    naming: { id: [bodySha256], type: [fixed('batch')] },
    readBody: readArrayBody,
  });
}

function auth0Sample(s: Sample): SignedSample {
  const logId = s.id ?? `900${hex(24)}`;
  const body = JSON.stringify([
    {
      log_id: logId,
      data: {
        date: s.at.toISOString(),
        type: s.type ?? 's',
        description: 'Success Login',
        client_id: hex(16),
        user_id: `auth0|${randomUUID()}`,
        log_id: logId,
        ...s.data,
      },
    },
  ]);
  return json(s, { Authorization: s.source.secret }, body);
}

export const auth0 = defineProvider({
  name: 'auth0',
  options: auth0Options,
  verifier: auth0Verifier,
  credentialHeaders: ['authorization'],
  signedTimestamp: false,
  batch: {
    split: arrayBody,
    eventId: firstOf(itemField('log_id'), itemField('data.log_id')),
    // Auth0's event codes: `s` a successful login, `f` a failed one, …
    eventType: itemField('data.type'),
    whenEmpty: 'acked',
    docs: { item: 'each log of the array (`{log_id, data}`)', empty: 'acked, nothing stored' },
  },
  sample: auth0Sample,
  docs: {
    senders: 'log streams (custom webhook)',
    entry: { name: 'auth0', secret: 'env:AUTH0_LOG_STREAM_TOKEN' },
    verified:
      "`Authorization` equals the stream's Authorization Token, whole (header configurable); the body is not covered",
    replayWindow: 'none',
    eventId: "each log's `log_id`",
    eventType: "each log's `data.type`",
    oracle: 'none',
  },
});
