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
 * Suites of their own: Plaid verifies against keys it fetches, so its suite runs a key server;
 * Microsoft Graph's credential and Adyen's signatures are in the body (microsoft-graph.test.ts,
 * adyen.test.ts).
 */
const OWN_SUITES = ['plaid', 'microsoft-graph', 'adyen'];
/** Their credential is in the body: there is no header to withhold. */
const BODY_CREDENTIAL = ['microsoft-graph', 'adyen'];

describe('the provider registry', () => {
  it('knows every provider, and each is exercised by the shared suites', () => {
    expect([...providerNames].sort()).toEqual(
      [
        'adyen',
        'api-key',
        'auth0',
        'azure-event-grid',
        'basic-auth',
        'calendly',
        'discord',
        'dropbox',
        'github',
        'gocardless',
        'hmac',
        'lemon-squeezy',
        'linear',
        'meta',
        'microsoft-graph',
        'mux',
        'okta',
        'paddle',
        'pagerduty',
        'plaid',
        'sendgrid',
        'shopify',
        'slack',
        'square',
        'standard-webhooks',
        'stripe',
        'telnyx',
        'twilio',
        'twitch',
        'workos',
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
      'slack',
      'paddle',
      'linear',
      'discord',
      'telnyx',
      'sendgrid',
      'plaid',
      'calendly',
      'workos',
      'mux',
      'zoom',
      'twitch',
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
