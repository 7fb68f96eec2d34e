/**
 * The senders' signing code lives in `@webhook-inbox/signing` (the CLI's `send` uses it too);
 * it imports nothing from the verifier it tests.
 */
export {
  basicAuthorization,
  defaultHmacSignature,
  lemonSqueezySignature,
  linearSignature,
  paddleSignature,
  shopifySignature,
  slackSignature,
  squareSignature,
  standardWebhooksSignature,
  templatedSignature,
} from '@webhook-inbox/signing';
