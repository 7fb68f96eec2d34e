/** A start-up configuration problem; its message is the one line the operator sees. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** The first zod issue as `a.b: message`, enough to find and fix the setting. */
export function describeIssue(
  issues: readonly IssueLike[],
  prefix: readonly string[] = [],
): string {
  const issue = issues[0];
  if (!issue) return 'invalid';
  const path = [...prefix, ...issue.path.map(String)].join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Runs start-up configuration; a ConfigError ends the process with its one line and exit 1. */
export function configOrExit<T>(processName: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${processName}: ${error.message}`);
    process.exit(1);
  }
}
