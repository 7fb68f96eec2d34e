import { standardWebhooksAlias } from './standard-webhooks.ts';

/** Clerk delivers through Svix: `svix-id`, `svix-timestamp`, `svix-signature`, a `whsec_` secret. */
export const clerk = standardWebhooksAlias('clerk', {
  name: 'clerk',
  secret: 'env:CLERK_WEBHOOK_SIGNING_SECRET',
});
