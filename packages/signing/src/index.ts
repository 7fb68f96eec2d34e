export * from './public-key-signers.ts';
export {
  type SampleEvent,
  type SampleResult,
  SIGNERS,
  type SignedSample,
  type SourceToSign,
  signSample,
} from './sample.ts';
export { SAMPLE_KEYS } from './sample-keys.ts';
export * from './signers.ts';
