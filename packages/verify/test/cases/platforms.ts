import { createHmac } from 'node:crypto';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { linearSignature, shopifySignature, slackSignature } from '../signers.ts';
import { fixture, unixSeconds } from '../support.ts';
import { json, type ProviderCase } from './case.ts';

const clerkBody = fixture('clerk-user.created.json');
const githubBody = fixture('github-push.json');
const shopifyBody = fixture('shopify-orders-create.json');
/** Another delivery's bytes: the same bytes again would be a duplicate by signed content. */
const shopifyLaterBody = Buffer.concat([shopifyBody, Buffer.from('\n')]);
const slackBody = fixture('slack-event_callback.json');
const slackCommandBody = fixture('slack-slash-command.form');
/** Interactivity posts its JSON URL-encoded in the `payload` field of a form. */
const slackInteractionBody = Buffer.from(
  new URLSearchParams({ payload: fixture('slack-block_actions.json').toString('utf8') }).toString(),
);
/** A GitHub webhook set to the form content type: `payload=` and the URL-encoded JSON. */
const githubFormBody = Buffer.from(
  new URLSearchParams({ payload: githubBody.toString('utf8') }).toString(),
);
const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
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

/** Slack's form bodies: signed as sent, like its JSON ones. */
function slackFormCase(
  label: string,
  body: Buffer,
  expected: ProviderCase['expected'],
): ProviderCase {
  return {
    label,
    provider: 'slack',
    secret: '8f742231b10e8888abcd99yyyzzz85a5',
    otherSecret: 'previous-slack-signing-secret',
    sign: async (secret, at) => ({
      headers: {
        ...form,
        'X-Slack-Request-Timestamp': String(unixSeconds(at)),
        'X-Slack-Signature': slackSignature(secret, unixSeconds(at), body),
      },
      body,
      url: '/webhooks/slack',
    }),
    signatureHeader: 'X-Slack-Signature',
    signedHeaders: ['X-Slack-Request-Timestamp'],
    garbled: 'malformed_signature',
    expected,
    toleranceSeconds: 300,
  };
}

/** Standard Webhooks and GitHub sign with their SDKs; Shopify, Slack and Linear with ours. */
/** A GoCardless batch of one event (the shared suites send one event per request). */
const gocardlessBody = Buffer.from(
  JSON.stringify({
    events: [
      {
        id: 'EV123',
        created_at: '2026-06-01T12:00:00.000Z',
        resource_type: 'mandates',
        action: 'cancelled',
        links: { mandate: 'MD123' },
        details: { origin: 'bank', cause: 'bank_account_disabled' },
      },
    ],
    meta: { webhook_id: 'WB123' },
  }),
);

/** A HubSpot batch of one event, as HubSpot's v3 documentation shows one. */
const hubspotBody = Buffer.from(
  JSON.stringify([
    {
      eventId: 100,
      subscriptionId: 2114009,
      portalId: 62515,
      appId: 1160452,
      occurredAt: 1780315199000,
      subscriptionType: 'contact.creation',
      attemptNumber: 0,
      objectId: 123,
      changeSource: 'CRM',
      changeFlag: 'NEW',
    },
  ]),
);
const HUBSPOT_PUBLIC_URL = 'https://hooks.example.com';

export const PLATFORM_CASES: readonly ProviderCase[] = [
  {
    label: 'hubspot',
    provider: 'hubspot',
    options: { publicUrl: HUBSPOT_PUBLIC_URL },
    secret: 'hubspot-app-client-secret',
    otherSecret: 'hubspot-previous-client-secret',
    sign: async (secret, at) => {
      // HubSpot's documented v3 check, written out: method + URI + body + timestamp.
      const timestamp = String(at.getTime());
      const uri = `${HUBSPOT_PUBLIC_URL}/webhooks/hubspot`;
      const signature = createHmac('sha256', secret)
        .update(`POST${uri}${hubspotBody.toString('utf8')}${timestamp}`)
        .digest('base64');
      return {
        headers: {
          ...json,
          'X-HubSpot-Request-Timestamp': timestamp,
          'X-HubSpot-Signature-v3': signature,
        },
        body: hubspotBody,
        url: '/webhooks/hubspot',
      };
    },
    signatureHeader: 'X-HubSpot-Signature-v3',
    signedHeaders: ['X-HubSpot-Request-Timestamp'],
    garbled: 'malformed_signature',
    expected: { eventId: '100', eventType: 'contact.creation' },
    toleranceSeconds: 300,
  },
  {
    label: 'gocardless',
    provider: 'gocardless',
    secret: 'gocardless-webhook-endpoint-secret',
    otherSecret: 'gocardless-previous-endpoint-secret',
    sign: async (secret) => ({
      // Hex HMAC-SHA256 of the body, Linear's scheme under another header.
      headers: { ...json, 'Webhook-Signature': linearSignature(secret, gocardlessBody) },
      body: gocardlessBody,
      url: '/webhooks/gocardless',
    }),
    signatureHeader: 'Webhook-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: 'EV123', eventType: 'mandates.cancelled' },
  },
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
    label: 'github (form)',
    provider: 'github',
    secret: "It's a Secret to Everybody",
    otherSecret: 'previous github secret',
    sign: async (secret) => ({
      headers: {
        ...form,
        'X-Hub-Signature-256': await githubSign(secret, githubFormBody.toString('utf8')),
        'X-GitHub-Event': 'push',
        'X-GitHub-Delivery': '9a4a3e70-cc7a-11e3-8d1c-6f2b0e1c4a01',
      },
      body: githubFormBody,
      url: '/webhooks/github',
    }),
    signatureHeader: 'X-Hub-Signature-256',
    garbled: 'malformed_signature',
    expected: { eventId: '9a4a3e70-cc7a-11e3-8d1c-6f2b0e1c4a01', eventType: 'push' },
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
    label: 'shopify (headers without X-)',
    provider: 'shopify',
    secret: 'shpss_current_client_secret',
    otherSecret: 'shpss_previous_client_secret',
    sign: async (secret) => ({
      headers: {
        ...json,
        'Shopify-Hmac-Sha256': shopifySignature(secret, shopifyLaterBody),
        'Shopify-Topic': 'orders/create',
        'Shopify-Shop-Domain': 'example.myshopify.com',
        'Shopify-Event-Id': '5d3a1b7e-2f4c-4e0a-9b8d-7c6e5f4a3b21',
        'Shopify-Webhook-Id': 'c1e2d3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
      },
      body: shopifyLaterBody,
      url: '/webhooks/shopify',
    }),
    signatureHeader: 'Shopify-Hmac-Sha256',
    garbled: 'malformed_signature',
    expected: { eventId: '5d3a1b7e-2f4c-4e0a-9b8d-7c6e5f4a3b21', eventType: 'orders/create' },
    unsignedIdHeader: 'Shopify-Event-Id',
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
  slackFormCase('slack (slash command)', slackCommandBody, {
    eventId: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
    eventType: '/webhook-collect',
  }),
  slackFormCase('slack (interactivity)', slackInteractionBody, {
    eventId: '12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3',
    eventType: 'block_actions',
  }),
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
