import { standardWebhooksV1aSignature } from './public-key-signers.ts';
import { sampleKey } from './sample-keys.ts';
import { standardWebhooksSignature } from './signers.ts';

/** `v1` with a `whsec_` secret, `v1a` with the sample `whpk_` public key. */
export function standardWebhooksSampleSignature(
  secret: string,
  id: string,
  seconds: number,
  body: string,
) {
  if (!secret.startsWith('whpk_')) return standardWebhooksSignature(secret, id, seconds, body);
  return standardWebhooksV1aSignature(sampleKey('standard-webhooks', secret), id, seconds, body);
}
