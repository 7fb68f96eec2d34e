import { sign as githubSign } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { linearSignature, shopifySignature, slackSignature } from '../signers.ts';
import { fixture, unixSeconds } from '../support.ts';
import { json, type ProviderCase } from './case.ts';

const clerkBody = fixture('clerk-user.created.json');
const githubBody = fixture('github-push.json');
const shopifyBody = fixture('shopify-orders-create.json');
const slackBody = fixture('slack-event_callback.json');
const linearTemplate = fixture('linear-issue.create.json').toString('utf8');

/** Linear's send time is in the body, so the body is made at signing time. */
export const linearBody = (at: Date) =>
  Buffer.from(
    linearTemplate.replace(/"webhookTimestamp": ?0/, `"webhookTimestamp": ${at.getTime()}`),
  );

/** Both header families of Standard Webhooks, each signed by its own SDK. */
function standardWebhooksCase(
  prefix: 'webhook' | 'svix',
  messageId: string,
  Signer: typeof StandardWebhook | typeof SvixWebhook,
): ProviderCase {
  return {
    label: prefix === 'webhook' ? 'standard-webhooks' : 'standard-webhooks (svix-* headers)',
    provider: 'standard-webhooks',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    otherSecret: 'whsec_c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA==',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        [`${prefix}-id`]: messageId,
        [`${prefix}-timestamp`]: String(unixSeconds(at)),
        [`${prefix}-signature`]: new Signer(secret).sign(messageId, at, clerkBody.toString('utf8')),
      },
      body: clerkBody,
      url: '/webhooks/clerk',
    }),
    signatureHeader: `${prefix}-signature`,
    signedHeaders: [`${prefix}-id`, `${prefix}-timestamp`],
    garbled: 'malformed_signature',
    expected: { eventId: messageId, eventType: 'user.created' },
    toleranceSeconds: 300,
  };
}

/** Standard Webhooks and GitHub sign with their SDKs; Shopify, Slack and Linear with ours. */
export const PLATFORM_CASES: readonly ProviderCase[] = [
  standardWebhooksCase('webhook', 'msg_2dXyPSVdHx4nh4F1Ckr7nH2LqKY', StandardWebhook),
  standardWebhooksCase('svix', 'msg_p5jXN8AQM9LWM0D4loKWxJek', SvixWebhook),
  {
    label: 'github',
    provider: 'github',
    secret: "It's a Secret to Everybody",
    otherSecret: 'previous github secret',
    sign: async (secret) => ({
      headers: {
        ...json,
        'X-Hub-Signature-256': await githubSign(secret, githubBody.toString('utf8')),
        'X-GitHub-Event': 'push',
        'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        'X-GitHub-Hook-ID': '292430182',
      },
      body: githubBody,
      url: '/webhooks/github',
    }),
    signatureHeader: 'X-Hub-Signature-256',
    garbled: 'malformed_signature',
    expected: { eventId: '72d3162e-cc78-11e3-81ab-4c9367dc0958', eventType: 'push' },
    unsignedIdHeader: 'X-GitHub-Delivery',
  },
  {
    label: 'shopify',
    provider: 'shopify',
    secret: 'shpss_current_client_secret',
    otherSecret: 'shpss_previous_client_secret',
    sign: async (secret) => ({
      headers: {
        ...json,
        'X-Shopify-Hmac-Sha256': shopifySignature(secret, shopifyBody),
        'X-Shopify-Topic': 'orders/create',
        'X-Shopify-Shop-Domain': 'example.myshopify.com',
        'X-Shopify-Event-Id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
        'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
        'X-Shopify-Triggered-At': '2026-06-01T11:59:59.000Z',
      },
      body: shopifyBody,
      url: '/webhooks/shopify',
    }),
    signatureHeader: 'X-Shopify-Hmac-Sha256',
    garbled: 'malformed_signature',
    expected: { eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5', eventType: 'orders/create' },
    unsignedIdHeader: 'X-Shopify-Event-Id',
  },
  {
    label: 'slack',
    provider: 'slack',
    secret: '8f742231b10e8888abcd99yyyzzz85a5',
    otherSecret: 'previous-slack-signing-secret',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        'X-Slack-Request-Timestamp': String(unixSeconds(at)),
        'X-Slack-Signature': slackSignature(secret, unixSeconds(at), slackBody),
      },
      body: slackBody,
      url: '/webhooks/slack',
    }),
    signatureHeader: 'X-Slack-Signature',
    signedHeaders: ['X-Slack-Request-Timestamp'],
    garbled: 'malformed_signature',
    expected: { eventId: 'Ev123ABC456', eventType: 'app_mention' },
    toleranceSeconds: 300,
  },
  {
    label: 'linear',
    provider: 'linear',
    secret: 'lin_wh_current_signing_secret',
    otherSecret: 'lin_wh_previous_signing_secret',
    sign: async (secret, at) => {
      const body = linearBody(at);
      return {
        headers: {
          ...json,
          'Linear-Signature': linearSignature(secret, body),
          'Linear-Delivery': '234d1a4e-b617-4388-90fe-adc3633d6b72',
          'Linear-Event': 'Issue',
        },
        body,
        url: '/webhooks/linear',
      };
    },
    signatureHeader: 'Linear-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: '234d1a4e-b617-4388-90fe-adc3633d6b72', eventType: 'Issue' },
    unsignedIdHeader: 'Linear-Delivery',
    toleranceSeconds: 60,
  },
];
