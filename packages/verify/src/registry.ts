import type { z } from 'zod';
import { apiKeyOptions, apiKeyVerifier } from './providers/api-key.ts';
import { basicAuthOptions, basicAuthVerifier } from './providers/basic-auth.ts';
import { discordOptions, discordVerifier } from './providers/discord.ts';
import { githubOptions, githubVerifier } from './providers/github.ts';
import { hmacOptions, hmacVerifier } from './providers/hmac.ts';
import { lemonSqueezyOptions, lemonSqueezyVerifier } from './providers/lemon-squeezy.ts';
import { linearOptions, linearVerifier } from './providers/linear.ts';
import { paddleOptions, paddleVerifier } from './providers/paddle.ts';
import { plaidOptions, plaidVerifier } from './providers/plaid.ts';
import { sendgridOptions, sendgridVerifier } from './providers/sendgrid.ts';
import { shopifyOptions, shopifyVerifier } from './providers/shopify.ts';
import { slackOptions, slackVerifier } from './providers/slack.ts';
import { squareOptions, squareVerifier } from './providers/square.ts';
import {
  standardWebhooksOptions,
  standardWebhooksVerifier,
} from './providers/standard-webhooks.ts';
import { stripeOptions, stripeVerifier } from './providers/stripe.ts';
import { telnyxOptions, telnyxVerifier } from './providers/telnyx.ts';
import { twilioOptions, twilioVerifier } from './providers/twilio.ts';
import type { Verifier } from './types.ts';

export interface Provider {
  /** Validates `options` (throws a z.ZodError) and builds the verifier. */
  create(options: unknown, secrets: readonly string[]): Verifier;
  /**
   * Its verifier always refuses a signed timestamp outside its tolerance, and no option turns
   * that off: a replayed request of its sources is refused once that old, key or no key.
   */
  readonly signedTimestamp: boolean;
}

/** Ties a schema to the builder of its verifier: the builder sees exactly what the schema yields. */
function provider<S extends z.ZodType>(
  options: S,
  build: (parsed: z.output<S>, secrets: readonly string[]) => Verifier,
  { signedTimestamp = false } = {},
): Provider {
  return { create: (raw, secrets) => build(options.parse(raw ?? {}), secrets), signedTimestamp };
}

const timestamped = { signedTimestamp: true };

/** Every provider a sources file may name. */
export const providers = {
  hmac: provider(hmacOptions, hmacVerifier),
  'api-key': provider(apiKeyOptions, apiKeyVerifier),
  'basic-auth': provider(basicAuthOptions, basicAuthVerifier),
  stripe: provider(stripeOptions, stripeVerifier, timestamped),
  'standard-webhooks': provider(standardWebhooksOptions, standardWebhooksVerifier, timestamped),
  github: provider(githubOptions, githubVerifier),
  shopify: provider(shopifyOptions, shopifyVerifier),
  slack: provider(slackOptions, slackVerifier, timestamped),
  twilio: provider(twilioOptions, twilioVerifier),
  paddle: provider(paddleOptions, paddleVerifier, timestamped),
  linear: provider(linearOptions, linearVerifier, timestamped),
  'lemon-squeezy': provider(lemonSqueezyOptions, lemonSqueezyVerifier),
  square: provider(squareOptions, squareVerifier),
  discord: provider(discordOptions, discordVerifier, timestamped),
  telnyx: provider(telnyxOptions, telnyxVerifier, timestamped),
  sendgrid: provider(sendgridOptions, sendgridVerifier, timestamped),
  plaid: provider(plaidOptions, plaidVerifier, timestamped),
} as const satisfies Record<string, Provider>;
