import type { z } from 'zod';
import { apiKeyOptions, apiKeyVerifier } from './providers/api-key.ts';
import { basicAuthOptions, basicAuthVerifier } from './providers/basic-auth.ts';
import { discordOptions, discordVerifier } from './providers/discord.ts';
import { dropboxOptions, dropboxVerifier } from './providers/dropbox.ts';
import { githubOptions, githubVerifier } from './providers/github.ts';
import { hmacOptions, hmacVerifier } from './providers/hmac.ts';
import { lemonSqueezyOptions, lemonSqueezyVerifier } from './providers/lemon-squeezy.ts';
import { linearOptions, linearVerifier } from './providers/linear.ts';
import { metaOptions, metaVerifier } from './providers/meta.ts';
import { microsoftGraphOptions, microsoftGraphVerifier } from './providers/microsoft-graph.ts';
import { oktaOptions, oktaVerifier } from './providers/okta.ts';
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
import { twitchOptions, twitchVerifier } from './providers/twitch.ts';
import { zoomOptions, zoomVerifier } from './providers/zoom.ts';
import type { Verifier } from './types.ts';

export interface Provider {
  /** Validates `options` (throws a z.ZodError) and builds the verifier. */
  create(options: unknown, secrets: readonly string[]): Verifier;
}

/** Ties a schema to the builder of its verifier: the builder sees exactly what the schema yields. */
function provider<S extends z.ZodType>(
  options: S,
  build: (parsed: z.output<S>, secrets: readonly string[]) => Verifier,
): Provider {
  return { create: (raw, secrets) => build(options.parse(raw ?? {}), secrets) };
}

/** Every provider a sources file may name. */
export const providers = {
  hmac: provider(hmacOptions, hmacVerifier),
  'api-key': provider(apiKeyOptions, apiKeyVerifier),
  'basic-auth': provider(basicAuthOptions, basicAuthVerifier),
  stripe: provider(stripeOptions, stripeVerifier),
  'standard-webhooks': provider(standardWebhooksOptions, standardWebhooksVerifier),
  github: provider(githubOptions, githubVerifier),
  shopify: provider(shopifyOptions, shopifyVerifier),
  slack: provider(slackOptions, slackVerifier),
  twilio: provider(twilioOptions, twilioVerifier),
  paddle: provider(paddleOptions, paddleVerifier),
  linear: provider(linearOptions, linearVerifier),
  'lemon-squeezy': provider(lemonSqueezyOptions, lemonSqueezyVerifier),
  square: provider(squareOptions, squareVerifier),
  zoom: provider(zoomOptions, zoomVerifier),
  twitch: provider(twitchOptions, twitchVerifier),
  meta: provider(metaOptions, metaVerifier),
  dropbox: provider(dropboxOptions, dropboxVerifier),
  'microsoft-graph': provider(microsoftGraphOptions, microsoftGraphVerifier),
  okta: provider(oktaOptions, oktaVerifier),
  discord: provider(discordOptions, discordVerifier),
  telnyx: provider(telnyxOptions, telnyxVerifier),
  sendgrid: provider(sendgridOptions, sendgridVerifier),
  plaid: provider(plaidOptions, plaidVerifier),
} as const satisfies Record<string, Provider>;
