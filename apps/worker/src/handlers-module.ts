import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@webhook-inbox/config';
import { handlers as exampleHandlers } from '@webhook-inbox/example-payments';
import type { HandlerRegistry } from '@webhook-inbox/worker';

// `src/handlers.js` is as likely a path as `./src/handlers.js`: whatever exists on disk is one.
const isPath = (specifier: string) =>
  specifier.startsWith('.') || isAbsolute(specifier) || existsSync(resolve(specifier));

// By shape, not instanceof: a bundled worker and the user's module each have their own copy of
// the class.
const isRegistry = (value: unknown): value is HandlerRegistry =>
  typeof (value as Partial<HandlerRegistry> | null)?.subscribersFor === 'function';

/**
 * The handlers the worker runs: the module `HANDLERS_MODULE` names (a path, resolved against
 * the working directory, or a package name), exporting `handlers` or a default export made
 * with `defineHandlers()`; without the setting, the payments example's. A module that cannot be
 * loaded or exports no handlers is a ConfigError: the worker must not start and ignore events.
 */
export async function loadHandlers(specifier: string | undefined): Promise<HandlerRegistry> {
  if (specifier === undefined) return exampleHandlers;
  const url = isPath(specifier) ? pathToFileURL(resolve(specifier)).href : specifier;
  let module: Record<string, unknown>;
  try {
    module = await import(url);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    // Only when the module itself is missing: one it imports may be missing instead.
    const itselfMissing =
      (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
      message.includes(isPath(specifier) ? resolve(specifier) : `'${specifier}'`);
    const reason = itselfMissing
      ? `no such file or package (a path is resolved against ${process.cwd()})`
      : message.split('\n')[0];
    throw new ConfigError(`HANDLERS_MODULE: cannot load ${JSON.stringify(specifier)}: ${reason}`);
  }
  const registry = module.handlers ?? module.default;
  if (!isRegistry(registry)) {
    throw new ConfigError(
      `HANDLERS_MODULE: ${JSON.stringify(specifier)} exports no handlers; export \`handlers\` (or a default export) made with defineHandlers() from @webhook-inbox/worker`,
    );
  }
  return registry;
}
