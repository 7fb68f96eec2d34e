export {
  formatTimestamp,
  genericSignature,
  type Options,
  option,
  renderTemplate,
  setPath,
} from './generic.ts';
export {
  hex,
  json,
  type Sample,
  type SampleEvent,
  type SampleResult,
  type SignedSample,
  type Signer,
  type SourceToSign,
} from './model.ts';
export { namedEvent } from './named-event.ts';
export {
  discordSample,
  sendgridSample,
  standardWebhooksSampleSignature,
  telnyxSample,
} from './public-key-samples.ts';
export * from './public-key-signers.ts';
export { CannotSign, SAMPLE_KEYS } from './sample-keys.ts';
export * from './signers.ts';
