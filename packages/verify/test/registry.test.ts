import { SAMPLE_KEYS } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createVerifier, isProviderName, providerNames } from '../src/index.ts';
import { CASES } from './cases/index.ts';

const REQUIRED: Record<string, Record<string, unknown>> = {
  twilio: { publicUrl: 'https://hooks.example.com' },
  square: { notificationUrl: 'https://hooks.example.com/webhooks/square' },
  meta: { verifyToken: 'a-verify-token' },
  plaid: { clientId: 'client-id' },
};
/** Suites of their own: Plaid verifies against keys it fetches, so its suite runs a key server;
 * Microsoft Graph's credential is in the body (microsoft-graph.test.ts). */
const OWN_SUITES = ['plaid', 'microsoft-graph'];
const SECRET: Record<string, string> = {
  'standard-webhooks': 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  'basic-auth': 'user:password',
  discord: SAMPLE_KEYS.discord.configured,
  telnyx: SAMPLE_KEYS.telnyx.configured,
  sendgrid: SAMPLE_KEYS.sendgrid.configured,
};
/** Their credential is in the body: there is no header to withhold. */
const BODY_CREDENTIAL = ['microsoft-graph'];

describe('the provider registry', () => {
  it('knows every provider, and each is exercised by the shared suites', () => {
    expect(providerNames.sort()).toEqual(
      [
        'api-key',
        'basic-auth',
        'discord',
        'dropbox',
        'github',
        'hmac',
        'lemon-squeezy',
        'linear',
        'meta',
        'microsoft-graph',
        'okta',
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
        'twitch',
        'zoom',
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
      expect(verifier.credentialHeaders.length > 0).toBe(!BODY_CREDENTIAL.includes(name));
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
