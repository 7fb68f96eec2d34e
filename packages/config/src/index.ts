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
  type RetryPolicies,
  type RetryPolicy,
  readSourcesFile,
  retryPolicyFor,
  type SecretReference,
  type SourceAssembler,
  type SourceSpec,
  type SourcesFile,
} from './sources.ts';
