import { genericSamples } from './generic-samples.ts';
import type { SampleEvent, SampleResult, Signer, SourceToSign } from './model.ts';
import { lemonSqueezy, paddle, square, stripe } from './payments.ts';
import { github, linear, shopify, slack, standardWebhooks } from './platforms.ts';
import { discord, sendgrid, telnyx } from './public-key-samples.ts';
import { CannotSign } from './sample-keys.ts';
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
  discord,
  telnyx,
  sendgrid,
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
  try {
    return { ok: true, request: sign(signer, source, event, at) };
  } catch (error) {
    if (error instanceof CannotSign) return { ok: false, error: error.message };
    throw error;
  }
}

function sign(signer: Signer, source: SourceToSign, event: SampleEvent, at: Date) {
  return signer({
    source,
    options: source.options ?? {},
    id: event.id,
    type: event.type,
    data: event.data,
    at,
    seconds: Math.floor(at.getTime() / 1000),
    path: `/webhooks/${source.name}`,
  });
}
