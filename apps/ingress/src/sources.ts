import {
  type Env,
  type OrderingSpec,
  type RetryPolicies,
  type RetryPolicy,
  readSourcesFile,
  type SourceSpec,
} from '@webhook-inbox/config';
import { type DestinationRoute, parseDestinationRoute } from '@webhook-inbox/delivery';
import {
  createVerifier,
  DEFAULT_EVENT_LIMITS,
  type EventLimits,
  type Verifier,
} from '@webhook-inbox/verify';

/** A source as the ingress serves it: the sources file's entry with its verifier built. */
export interface Source {
  readonly name: string;
  readonly provider: string;
  readonly verifier: Verifier;
  readonly retry: RetryPolicy;
  /** Its HTTP destinations' routes: which of them an event goes to, by its type. */
  readonly routes: readonly DestinationRoute[];
  /** How its events are ordered per key, if they are: each row's key is computed at ingest. */
  readonly ordering?: OrderingSpec | undefined;
  /** What is weak but allowed in its entry (a short secret), to log at start-up. */
  readonly warnings: readonly string[];
}

/** Below this an HMAC key is guessable offline from one captured request. */
export const MIN_SECRET_BYTES = 16;

/** Never names the secret itself: only which one of the entry's it is. */
function secretWarnings(spec: SourceSpec): string[] {
  return spec.secrets.flatMap((secret, index) =>
    Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES
      ? [
          `source "${spec.name}": secret ${index + 1} of ${spec.secrets.length} is shorter than ` +
            `${MIN_SECRET_BYTES} bytes; use a long random secret`,
        ]
      : [],
  );
}

export function assembleSource(
  spec: SourceSpec,
  limits = DEFAULT_EVENT_LIMITS,
  routes: readonly DestinationRoute[] = [],
): Source {
  const verifier = createVerifier(spec.provider, spec.options, spec.secrets, limits);
  return {
    name: spec.name,
    provider: spec.provider,
    verifier,
    retry: spec.retry,
    routes,
    ordering: spec.ordering,
    warnings: secretWarnings(spec),
  };
}

export function retryPoliciesOf(sources: ReadonlyMap<string, Source>): RetryPolicies {
  return new Map([...sources.values()].map((source) => [source.name, source.retry]));
}

/** The sources file, each entry with its verifier; any problem is one ConfigError line. */
export function loadIngressSources(
  file: string,
  env: Env,
  limits: EventLimits = DEFAULT_EVENT_LIMITS,
): Map<string, Source> {
  const sources = readSourcesFile(file);
  const routes = sources.destinationRoutes(parseDestinationRoute);
  return sources.resolve(env, (spec) => assembleSource(spec, limits, routes.get(spec.name)));
}
