import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { fixture, unixSeconds } from '../support.ts';
import { json, type ProviderCase } from './case.ts';

const openaiBody = Buffer.from(
  JSON.stringify({
    id: 'evt_685343a1381c819085d44c354e1b330e',
    object: 'event',
    created_at: 1750287018,
    type: 'response.completed',
    data: { id: 'resp_abc123' },
  }),
);

/** A sender that follows the spec under its own provider name, signed by the SDK it uses. */
function aliasCase(
  provider: 'clerk' | 'resend' | 'openai',
  prefix: 'webhook' | 'svix',
  body: Buffer,
  messageId: string,
  eventType: string,
): ProviderCase {
  const Signer = prefix === 'svix' ? SvixWebhook : StandardWebhook;
  return {
    label: `${provider} (standard-webhooks, ${prefix}-* headers)`,
    provider,
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    otherSecret: 'whsec_c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA==',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        [`${prefix}-id`]: messageId,
        [`${prefix}-timestamp`]: String(unixSeconds(at)),
        [`${prefix}-signature`]: new Signer(secret).sign(messageId, at, body.toString('utf8')),
      },
      body,
      url: `/webhooks/${provider}`,
    }),
    signatureHeader: `${prefix}-signature`,
    signedHeaders: [`${prefix}-id`, `${prefix}-timestamp`],
    garbled: 'malformed_signature',
    expected: { eventId: messageId, eventType },
    toleranceSeconds: 300,
  };
}

/** Clerk and Resend deliver through Svix (`svix-*`); OpenAI sends the spec's `webhook-*`. */
export const STANDARD_WEBHOOKS_ALIAS_CASES: readonly ProviderCase[] = [
  aliasCase(
    'clerk',
    'svix',
    fixture('clerk-user.created.json'),
    'msg_2cBVN0jXQqO1pZ0Q8bOhzRkqvYA',
    'user.created',
  ),
  aliasCase(
    'resend',
    'svix',
    fixture('resend-email.delivered.json'),
    'msg_2bqXmR1vWz7KpL3nT9yH4cE8dF0',
    'email.delivered',
  ),
  aliasCase(
    'openai',
    'webhook',
    openaiBody,
    'wh_685342e6c53c8190a1be43f081506c52',
    'response.completed',
  ),
];
