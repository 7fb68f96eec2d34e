import { type Env, loadSources, type RetryPolicy, type SourceSpec } from '@webhook-inbox/config';
import {
  createVerifier,
  isProviderName,
  providerNames,
  type Verifier,
} from '@webhook-inbox/verify';

/** A source as the ingress serves it: the sources file's entry with its verifier built. */
export interface Source {
  readonly name: string;
  readonly provider: string;
  readonly verifier: Verifier;
  readonly retry: RetryPolicy;
}

export function assembleSource(spec: SourceSpec): Source {
  if (!isProviderName(spec.provider)) {
    throw new Error(`unknown provider "${spec.provider}" (known: ${providerNames.join(', ')})`);
  }
  const verifier = createVerifier(spec.provider, spec.options, spec.secrets);
  return { name: spec.name, provider: spec.provider, verifier, retry: spec.retry };
}

/** The sources file, each entry with its verifier; any problem is one ConfigError line. */
export function loadIngressSources(file: string, env: Env): Map<string, Source> {
  return loadSources(file, env, assembleSource);
}
