export { adyen as adyenSample, adyenSignature, signedAdyenItem } from './adyen.ts';
export { azureEventGrid as azureEventGridSample } from './azure-event-grid.ts';
export {
  formatTimestamp,
  genericSignature,
  type Options,
  option,
  renderTemplate,
  setPath,
} from './generic.ts';
export {
  dropbox as dropboxSample,
  meta as metaSample,
  microsoftGraph as microsoftGraphSample,
  okta as oktaSample,
  twitch as twitchSample,
  zoom as zoomSample,
} from './handshake-samples.ts';
export * from './handshake-signers.ts';
export { HANDSHAKES } from './handshakes.ts';
export {
  hex,
  json,
  type Sample,
  type SampleEvent,
  type SampleResult,
  type SignedSample,
  type Signer,
  type SourceToSign,
  timestampedJson,
} from './model.ts';
export { namedEvent } from './named-event.ts';
export * from './public-key-signers.ts';
export { googlePubsubSample, SAMPLE_JWKS } from './pubsub-sample.ts';
export { SAMPLE_CERTIFICATE } from './sample-certificate.ts';
export { CannotSign, SAMPLE_KEYS, sampleKey } from './sample-keys.ts';
export * from './signers.ts';
export { standardWebhooksSampleSignature } from './standard-webhooks-sample.ts';
export { awsSnsSample, paypalSample } from './x509-samples.ts';
export * from './x509-signers.ts';
