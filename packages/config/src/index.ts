export { commonEnv, type Env, parseEnv } from './env.ts';
export { ConfigError, configOrExit } from './errors.ts';
export {
  DEFAULT_RETRY,
  loadHandlerTimeouts,
  loadRetryPolicies,
  loadSources,
  type RetryPolicy,
  type SourceAssembler,
  type SourceSpec,
} from './sources.ts';
