export {
  type SampleEvent,
  type SampleResult,
  SIGNERS,
  type SignedSample,
  type SourceToSign,
  signSample,
} from './sample.ts';
export * from './signers.ts';
