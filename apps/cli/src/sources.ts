import { readSourcesFile, type SourceSpec } from '@webhook-inbox/config';
import { type CliEnv, processEnv } from './env.ts';
import { UsageError } from './output.ts';

/** The sources file with every secret resolved, as the ingress reads it. */
export function loadSourceSpecs(env: CliEnv): Map<string, SourceSpec> {
  return readSourcesFile(env.SOURCES_FILE).resolve(processEnv(), (spec) => spec);
}

export function sourceNamed(env: CliEnv, name: string): SourceSpec {
  const sources = loadSourceSpecs(env);
  const source = sources.get(name);
  if (!source) {
    throw new UsageError(
      `no source "${name}" in ${env.SOURCES_FILE} (known: ${[...sources.keys()].join(', ')})`,
    );
  }
  return source;
}
