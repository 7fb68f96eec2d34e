/**
 * The senders' signing code lives in `@webhook-inbox/signing` (the CLI's `send` uses it too);
 * it imports nothing from the verifier it tests.
 */
export {
  basicAuthorization,
  defaultHmacSignature,
  discordSignature,
  lemonSqueezySignature,
  linearSignature,
  paddleSignature,
  razorpaySignature,
  sendgridSignature,
  shopifySignature,
  slackSignature,
  squareSignature,
  standardWebhooksSignature,
  standardWebhooksV1aSignature,
  telnyxSignature,
  templatedSignature,
} from '@webhook-inbox/signing';
