import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createVerifier, hasSignedTimestamp, isProviderName, providerNames } from '../src/index.ts';
import { CASES } from './cases/index.ts';

const REQUIRED: Record<string, Record<string, unknown>> = {
  twilio: { publicUrl: 'https://hooks.example.com' },
  square: { notificationUrl: 'https://hooks.example.com/webhooks/square' },
};
const SECRET: Record<string, string> = {
  'standard-webhooks': 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  'basic-auth': 'user:password',
};

describe('the provider registry', () => {
  it('knows every provider, and each is exercised by the shared suites', () => {
    expect([...providerNames].sort()).toEqual(
      [
        'api-key',
        'basic-auth',
        'calendly',
        'github',
        'hmac',
        'lemon-squeezy',
        'linear',
        'mux',
        'paddle',
        'pagerduty',
        'shopify',
        'slack',
        'square',
        'standard-webhooks',
        'stripe',
        'twilio',
        'workos',
      ].sort(),
    );
    expect(new Set(CASES.map((c) => c.provider))).toEqual(new Set(providerNames));
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
      'calendly',
      'workos',
      'mux',
    ]);
    expect(hasSignedTimestamp('carrier-pigeon')).toBe(false);
  });

  it.each(providerNames)(
    '%s: builds from a three-line entry (options only where it must)',
    (name) => {
      const verifier = createVerifier(name, REQUIRED[name], [SECRET[name] ?? 'a-secret']);
      expect(verifier.credentialHeaders.length).toBeGreaterThan(0);
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
