import type { ProviderCase } from './case.ts';
import { CONTENT_PLATFORM_CASES } from './content-platforms.ts';
import { DEV_PLATFORM_CASES } from './dev-platforms.ts';
import { GENERIC_CASES } from './generic.ts';
import { HANDSHAKE_PROVIDER_CASES } from './handshake-providers.ts';
import { PAYMENT_CASES } from './payments.ts';
import { PLATFORM_CASES } from './platforms.ts';
import { PRESET_CASES } from './presets.ts';
import { PUBLIC_KEY_CASES } from './public-keys.ts';
import { SAAS_CASES } from './saas.ts';
import { STANDARD_WEBHOOKS_ALIAS_CASES } from './standard-webhooks-aliases.ts';
import { TWILIO_CASES } from './twilio.ts';

export type { ProviderCase } from './case.ts';
export { SQUARE_URL } from './payments.ts';
export { linearBody } from './platforms.ts';
export { TWILIO_PUBLIC_URL } from './twilio.ts';

/** Every provider configuration the shared suites (and the integration test) run. */
export const CASES: readonly ProviderCase[] = [
  ...PAYMENT_CASES,
  ...PLATFORM_CASES,
  ...STANDARD_WEBHOOKS_ALIAS_CASES,
  ...TWILIO_CASES,
  ...PRESET_CASES,
  ...DEV_PLATFORM_CASES,
  ...SAAS_CASES,
  ...CONTENT_PLATFORM_CASES,
  ...GENERIC_CASES,
  ...HANDSHAKE_PROVIDER_CASES,
  ...PUBLIC_KEY_CASES,
];
