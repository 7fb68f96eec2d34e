import type { z } from 'zod';
import { apiKeyOptions, apiKeyVerifier } from './providers/api-key.ts';
import { basicAuthOptions, basicAuthVerifier } from './providers/basic-auth.ts';
import { githubOptions, githubVerifier } from './providers/github.ts';
import { hmacOptions, hmacVerifier } from './providers/hmac.ts';
import { lemonSqueezyOptions, lemonSqueezyVerifier } from './providers/lemon-squeezy.ts';
import { LINEAR_RESTAMPED_FIELDS, linearOptions, linearVerifier } from './providers/linear.ts';
import { paddleOptions, paddleVerifier } from './providers/paddle.ts';
import { shopifyOptions, shopifyVerifier } from './providers/shopify.ts';
import { slackOptions, slackVerifier } from './providers/slack.ts';
import { squareOptions, squareVerifier } from './providers/square.ts';
import {
  standardWebhooksOptions,
  standardWebhooksVerifier,
} from './providers/standard-webhooks.ts';
import { stripeOptions, stripeVerifier } from './providers/stripe.ts';
import { twilioOptions, twilioVerifier } from './providers/twilio.ts';
import type { Verifier } from './types.ts';

export interface Provider {
  /** Validates `options` (throws a z.ZodError) and builds the verifier. */
  create(options: unknown, secrets: readonly string[]): Verifier;
  /** Body fields (JSON paths) the sender re-stamps on every retry of one event. */
  readonly restampedFields: readonly string[];
}

/** Ties a schema to the builder of its verifier: the builder sees exactly what the schema yields. */
function provider<S extends z.ZodType>(
  options: S,
  build: (parsed: z.output<S>, secrets: readonly string[]) => Verifier,
  restampedFields: readonly string[] = [],
): Provider {
  return { create: (raw, secrets) => build(options.parse(raw ?? {}), secrets), restampedFields };
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
  linear: provider(linearOptions, linearVerifier, LINEAR_RESTAMPED_FIELDS),
  'lemon-squeezy': provider(lemonSqueezyOptions, lemonSqueezyVerifier),
  square: provider(squareOptions, squareVerifier),
} as const satisfies Record<string, Provider>;
