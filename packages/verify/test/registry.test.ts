import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createVerifier,
  hasSignedTimestamp,
  isProviderName,
  providerNamed,
  providerNames,
} from '../src/index.ts';
import { CASES } from './cases/index.ts';

/** What each module says it cannot be built without. */
const required = (name: string) => providerNamed(name)?.requiredOptions;
const secretFor = (name: string) => providerNamed(name)?.sampleSecret ?? 'a-secret';
/**
 * Suites of their own: Plaid, SNS, PayPal and Pub/Sub verify against keys they fetch, so their
 * suites run a key server; Microsoft Graph's and Mailgun's credentials and Adyen's signatures are
 * in the body (their own test files).
 */
const OWN_SUITES = [
  'plaid',
  'microsoft-graph',
  'mailgun',
  'adyen',
  'aws-sns',
  'paypal',
  'google-pubsub',
];
/** Their credential is in the body: there is no header to withhold. */
const BODY_CREDENTIAL = ['microsoft-graph', 'mailgun', 'adyen', 'aws-sns'];

describe('the provider registry', () => {
  it('knows every provider, and each is exercised by the shared suites', () => {
    expect([...providerNames].sort()).toEqual(
      [
        'adyen',
        'api-key',
        'aws-sns',
        'auth0',
        'azure-event-grid',
        'basic-auth',
        'bigcommerce',
        'bitbucket',
        'box',
        'calendly',
        'chargebee',
        'clerk',
        'discord',
        'docusign',
        'dropbox',
        'github',
        'gitlab',
        'google-pubsub',
        'gocardless',
        'hmac',
        'hubspot',
        'intercom',
        'lemon-squeezy',
        'linear',
        'mailgun',
        'meta',
        'microsoft-graph',
        'mux',
        'okta',
        'openai',
        'paddle',
        'persona',
        'pagerduty',
        'paypal',
        'plaid',
        'postmark',
        'razorpay',
        'resend',
        'sendgrid',
        'sentry',
        'shopify',
        'slack',
        'square',
        'standard-webhooks',
        'stripe',
        'telnyx',
        'twilio',
        'twitch',
        'typeform',
        'vercel',
        'woocommerce',
        'workos',
        'zendesk',
        'zoom',
      ].sort(),
    );
    expect(new Set([...CASES.map((c) => c.provider), ...OWN_SUITES])).toEqual(
      new Set(providerNames),
    );
    expect(isProviderName('pigeon')).toBe(false);
    expect(isProviderName('constructor')).toBe(false);
  });

  it("says which providers always check a signed timestamp (retention keeps the others' keys)", () => {
    expect(providerNames.filter(hasSignedTimestamp)).toEqual([
      'stripe',
      'standard-webhooks',
      'clerk',
      'resend',
      'openai',
      'slack',
      'paddle',
      'linear',
      'discord',
      'telnyx',
      'sendgrid',
      'plaid',
      'aws-sns',
      'google-pubsub',
      'calendly',
      'workos',
      'mux',
      'zoom',
      'twitch',
      'mailgun',
      'zendesk',
      'bigcommerce',
      'box',
      'persona',
      'hubspot',
    ]);
    expect(hasSignedTimestamp('carrier-pigeon')).toBe(false);
  });

  it.each(providerNames)(
    '%s: builds from a three-line entry (options only where it must)',
    (name) => {
      const verifier = createVerifier(name, required(name), [secretFor(name)]);
      expect(verifier.credentialHeaders.length > 0).toBe(!BODY_CREDENTIAL.includes(name));
      expect(verifier.credentialHeaders.every((header) => header === header.toLowerCase())).toBe(
        true,
      );
    },
  );

  it.each(providerNames)('%s: refuses an unknown option (strict), naming it', (name) => {
    const build = () =>
      createVerifier(name, { ...required(name), toleranceSecs: 5 }, [secretFor(name)]);
    expect(build).toThrow(z.ZodError);
    expect(build).toThrow(/toleranceSecs/);
  });
});
