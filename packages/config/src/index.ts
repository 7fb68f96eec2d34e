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
  type EventOrdering,
  type OrderingSpec,
  orderingOf,
  orderingValue,
} from './ordering.ts';
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
