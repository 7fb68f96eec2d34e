export { ConfigError } from './errors.ts';
export { commonEnv, parseEnv, type Env } from './env.ts';
export { loadSources, type RetryPolicy, type Source } from './sources.ts';
