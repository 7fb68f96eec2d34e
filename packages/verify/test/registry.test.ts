import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createVerifier, isProviderName, providerNames } from '../src/index.ts';
import { CASES } from './cases/index.ts';

const REQUIRED: Record<string, Record<string, unknown>> = {
  twilio: { publicUrl: 'https://hooks.example.com' },
  square: { notificationUrl: 'https://hooks.example.com/webhooks/square' },
  meta: { verifyToken: 'a-verify-token' },
};
const SECRET: Record<string, string> = {
  'standard-webhooks': 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  'basic-auth': 'user:password',
};
/** Exercised by a suite of its own (microsoft-graph.test.ts): its credential is in the body. */
const OWN_SUITE = ['microsoft-graph'];

describe('the provider registry', () => {
  it('knows every provider, and each is exercised by the shared suites', () => {
    expect(providerNames.sort()).toEqual(
      [
        'api-key',
        'basic-auth',
        'dropbox',
        'github',
        'hmac',
        'lemon-squeezy',
        'linear',
        'meta',
        'microsoft-graph',
        'okta',
        'paddle',
        'shopify',
        'slack',
        'square',
        'standard-webhooks',
        'stripe',
        'twilio',
        'twitch',
        'zoom',
      ].sort(),
    );
    expect(new Set([...CASES.map((c) => c.provider), ...OWN_SUITE])).toEqual(
      new Set(providerNames),
    );
    expect(isProviderName('pigeon')).toBe(false);
    expect(isProviderName('constructor')).toBe(false);
  });

  it.each(providerNames)(
    '%s: builds from a three-line entry (options only where it must)',
    (name) => {
      const verifier = createVerifier(name, REQUIRED[name], [SECRET[name] ?? 'a-secret']);
      // Microsoft Graph's clientState is in the body: there is no header to withhold.
      expect(verifier.credentialHeaders.length > 0).toBe(!OWN_SUITE.includes(name));
      expect(verifier.credentialHeaders.every((header) => header === header.toLowerCase())).toBe(
        true,
      );
    },
  );

  it.each(providerNames)('%s: refuses an unknown option (strict), naming it', (name) => {
    const build = () =>
      createVerifier(name, { ...REQUIRED[name], toleranceSecs: 5 }, [SECRET[name] ?? 's']);
    expect(build).toThrow(z.ZodError);
    expect(build).toThrow(/toleranceSecs/);
  });
});
