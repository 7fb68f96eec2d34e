import { standardWebhooksAlias } from './standard-webhooks.ts';

/** Resend delivers through Svix: `svix-id`, `svix-timestamp`, `svix-signature`, a `whsec_` secret. */
export const resend = standardWebhooksAlias(
  'resend',
  { name: 'resend', secret: 'env:RESEND_WEBHOOK_SECRET' },
  { sdk: ['resend', 'standardwebhooks', 'svix'] },
);
