export * from './handshake-signers.ts';
export {
  type SampleEvent,
  type SampleResult,
  SIGNERS,
  type SignedSample,
  type SourceToSign,
  signHandshake,
  signSample,
} from './sample.ts';
export * from './signers.ts';
