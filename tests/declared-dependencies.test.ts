import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A workspace that imports what only the root declares works here by hoisting, and breaks as
// soon as it is installed or bundled on its own.

interface Manifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

const IMPORT = /^(?:import|export)\b[^;]*?(?:from\s*|import\s*\(?\s*)'([^'.][^']*)'/gms;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(?:ts|js)$/.test(entry.name) ? [path] : [];
  });
}

const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier);

/** What `dir`'s files import that its package.json does not declare (tests may use dev ones). */
function undeclared(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  const runtime = new Set(Object.keys(manifest.dependencies ?? {}));
  const any = new Set([...runtime, ...Object.keys(manifest.devDependencies ?? {})]);
  const missing = new Set<string>();
  for (const file of sourceFiles(dir)) {
    // Tests, the test harness and tool configs (drizzle.config.ts) run only where dev
    // dependencies are installed: the image ships none of them.
    const isTest =
      file.includes('/test/') ||
      file.startsWith('packages/testing/') ||
      /\.(?:test|config)\.ts$/.test(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (specifier === undefined || isBuiltin(specifier)) continue;
      const name = packageOf(specifier);
      if (name === manifest.name || (isTest ? any : runtime).has(name)) continue;
      missing.add(`${file} imports ${name}`);
    }
  }
  return [...missing];
}

describe('workspace manifests', () => {
  it('every package, app and example declares each package it imports', () => {
    const workspaces = ['packages', 'apps', 'examples'].flatMap((group) =>
      readdirSync(group).map((name) => join(group, name)),
    );
    expect(workspaces.flatMap(undeclared)).toEqual([]);
  });
});
