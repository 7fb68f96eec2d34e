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
export * from './public-key-signers.ts';
export { CannotSign, SAMPLE_KEYS, sampleKey } from './sample-keys.ts';
export * from './signers.ts';
export { standardWebhooksSampleSignature } from './standard-webhooks-sample.ts';
