import { genericSamples } from './generic-samples.ts';
import { dropbox, meta, microsoftGraph, okta, twitch, zoom } from './handshake-samples.ts';
import { HANDSHAKES } from './handshakes.ts';
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
  zoom,
  twitch,
  meta,
  dropbox,
  'microsoft-graph': microsoftGraph,
  okta,
  ...genericSamples,
};

function signWith(
  signers: Readonly<Record<string, Signer>>,
  missing: (provider: string) => string,
  source: SourceToSign,
  event: SampleEvent,
  at: Date,
): SampleResult {
  const signer = signers[source.provider];
  if (!signer) return { ok: false, error: missing(source.provider) };
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

/** A sample event for `source`, signed with its secret and options as its provider would at `at`. */
export const signSample = (source: SourceToSign, event: SampleEvent, at = new Date()) =>
  signWith(SIGNERS, (provider) => `no sample signer for provider "${provider}"`, source, event, at);

/** The request `source`'s provider sends to check a new URL, as it would send it at `at`. */
export const signHandshake = (source: SourceToSign, at = new Date()) =>
  signWith(
    HANDSHAKES,
    (provider) => `provider "${provider}" sends no handshake: send an event instead`,
    source,
    {},
    at,
  );
