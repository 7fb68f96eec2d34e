export {
  adminEnv,
  checkRetention,
  commonEnv,
  type Env,
  parseEnv,
  retentionEnv,
  withOwnAdminPort,
} from './env.ts';
export { ConfigError, configOrExit } from './errors.ts';
export {
  DEFAULT_RETRY,
  loadHandlerTimeouts,
  loadRetryPolicies,
  loadSources,
  loadTimestampedSources,
  type RetryPolicies,
  type RetryPolicy,
  retryPolicyFor,
  type SecretReference,
  type SourceAssembler,
  type SourceSpec,
  secretReferences,
} from './sources.ts';
