import { genericSamples } from './generic-samples.ts';
import type { SampleEvent, SampleResult, Signer, SourceToSign } from './model.ts';
import { lemonSqueezy, paddle, square, stripe } from './payments.ts';
import { github, linear, shopify, slack, standardWebhooks } from './platforms.ts';
import { twilio } from './twilio.ts';

export type { SampleEvent, SampleResult, SignedSample, SourceToSign } from './model.ts';

/** Every provider in docs/providers.md, signing as that provider's sender does. */
export const SIGNERS: Readonly<Record<string, Signer>> = {
  stripe,
  'standard-webhooks': standardWebhooks,
  github,
  shopify,
  slack,
  twilio,
  paddle,
  linear,
  'lemon-squeezy': lemonSqueezy,
  square,
  ...genericSamples,
};

/** A sample event for `source`, signed with its secret and options as its provider would at `at`. */
export function signSample(
  source: SourceToSign,
  event: SampleEvent,
  at = new Date(),
): SampleResult {
  const signer = SIGNERS[source.provider];
  if (!signer) return { ok: false, error: `no sample signer for provider "${source.provider}"` };
  const request = signer({
    source,
    options: source.options ?? {},
    id: event.id,
    type: event.type,
    data: event.data,
    at,
    seconds: Math.floor(at.getTime() / 1000),
    path: `/webhooks/${source.name}`,
  });
  return { ok: true, request };
}
