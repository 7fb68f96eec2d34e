import { standardWebhooksAlias } from './standard-webhooks.ts';

/** OpenAI signs per the spec: `webhook-id`, `webhook-timestamp`, `webhook-signature`, `whsec_`. */
export const openai = standardWebhooksAlias('openai', {
  name: 'openai',
  secret: 'env:OPENAI_WEBHOOK_SECRET',
});
