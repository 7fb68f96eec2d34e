export * from './handshake-signers.ts';
export * from './public-key-signers.ts';
export {
  type SampleEvent,
  type SampleResult,
  SIGNERS,
  type SignedSample,
  type SourceToSign,
  signHandshake,
  signSample,
} from './sample.ts';
export { SAMPLE_KEYS } from './sample-keys.ts';
export * from './signers.ts';
