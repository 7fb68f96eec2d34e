import { KNOWN_CREDENTIAL_HEADERS } from '@webhook-inbox/credential-headers';
import { SAMPLE_KEYS } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createVerifier, isProviderName, providerNames } from '../src/index.ts';
import { CASES } from './cases/index.ts';

const REQUIRED: Record<string, Record<string, unknown>> = {
  twilio: { publicUrl: 'https://hooks.example.com' },
  square: { notificationUrl: 'https://hooks.example.com/webhooks/square' },
  plaid: { clientId: 'client-id' },
};
/** Verify against keys they fetch, so their suites run a key server of their own. */
const OWN_SUITES = ['plaid'];
const SECRET: Record<string, string> = {
  'standard-webhooks': 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  'basic-auth': 'user:password',
  discord: SAMPLE_KEYS.discord.configured,
  telnyx: SAMPLE_KEYS.telnyx.configured,
  sendgrid: SAMPLE_KEYS.sendgrid.configured,
};

describe('the provider registry', () => {
  it('knows every provider, and each is exercised by the shared suites', () => {
    expect(providerNames.sort()).toEqual(
      [
        'api-key',
        'basic-auth',
        'discord',
        'github',
        'hmac',
        'lemon-squeezy',
        'linear',
        'paddle',
        'plaid',
        'sendgrid',
        'shopify',
        'slack',
        'square',
        'standard-webhooks',
        'stripe',
        'telnyx',
        'twilio',
      ].sort(),
    );
    expect(new Set([...CASES.map((c) => c.provider), ...OWN_SUITES])).toEqual(
      new Set(providerNames),
    );
    expect(isProviderName('pigeon')).toBe(false);
    expect(isProviderName('constructor')).toBe(false);
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

  // The logger censors the shared list by name, without asking the verifiers.
  it.each(providerNames)('%s: its default credential headers are in the shared list', (name) => {
    const verifier = createVerifier(name, REQUIRED[name], [SECRET[name] ?? 'a-secret']);
    expect(KNOWN_CREDENTIAL_HEADERS).toEqual(
      expect.arrayContaining([...verifier.credentialHeaders]),
    );
  });

  it.each(providerNames)('%s: refuses an unknown option (strict), naming it', (name) => {
    const build = () =>
      createVerifier(name, { ...REQUIRED[name], toleranceSecs: 5 }, [SECRET[name] ?? 's']);
    expect(build).toThrow(z.ZodError);
    expect(build).toThrow(/toleranceSecs/);
  });
});
