import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/registry.ts';

/**
 * The providers table's "Checked against" column is each module's `docs.oracle`: this keeps
 * those claims true of the tests. A claimed package must be imported by a test of that
 * provider, and every SDK a test imports must be claimed by some provider.
 */
const PACKAGES = ['verify', 'signing'];
/** Devdependencies that run the tests rather than check a provider. */
const TOOLING = new Set(['vitest', 'fast-check']);

const packageDir = (name: string) => new URL(`../../${name}/`, import.meta.url);

interface TestFile {
  readonly name: string;
  readonly text: string;
  /** The packages it imports, by package name (`razorpay/dist/…` is `razorpay`). */
  readonly imports: ReadonlySet<string>;
}

function testFiles(): TestFile[] {
  return PACKAGES.flatMap((pkg) =>
    readdirSync(new URL('test/', packageDir(pkg)), { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.ts'))
      .map((path) => {
        const text = readFileSync(new URL(`test/${path}`, packageDir(pkg)), 'utf8');
        const specifiers = [...text.matchAll(/\bfrom '([^'.][^']*)'/g)].map((m) => m[1] ?? '');
        const imports = new Set(
          specifiers.map((s) =>
            s
              .split('/')
              .slice(0, s.startsWith('@') ? 2 : 1)
              .join('/'),
          ),
        );
        return { name: path.split('/').pop() ?? path, text, imports };
      }),
  );
}

function declaredDependencies(key: 'dependencies' | 'devDependencies'): Set<string> {
  return new Set(
    PACKAGES.flatMap((pkg) => {
      const manifest = JSON.parse(readFileSync(new URL('package.json', packageDir(pkg)), 'utf8'));
      return Object.keys(
        (manifest as Record<string, Record<string, string> | undefined>)[key] ?? {},
      );
    }),
  );
}

const FILES = testFiles();
const escaped = (name: string) => name.replace(/[-]/g, '\\-');

/** Test files that exercise `provider`: named after it, or naming it as a string or a title. */
const filesOf = (provider: string) => {
  const mention = new RegExp(`['"\`]${escaped(provider)}(['"\`:]| \\()`);
  return FILES.filter((f) => f.name === `${provider}.test.ts` || mention.test(f.text));
};

describe("the providers table's oracles", () => {
  const claimedPackages = PROVIDERS.flatMap(({ name, docs }) =>
    docs.oracle !== 'none' && 'sdk' in docs.oracle
      ? docs.oracle.sdk.map((sdk) => ({ name, sdk }))
      : [],
  );

  it.each(claimedPackages)(
    '$name: a test of it imports $sdk, a declared dependency',
    ({ name, sdk }) => {
      const declared = new Set([
        ...declaredDependencies('devDependencies'),
        ...declaredDependencies('dependencies'),
      ]);
      expect(declared.has(sdk), `${sdk} is not a dependency of verify or signing`).toBe(true);
      const importing = filesOf(name).filter((f) => f.imports.has(sdk));
      expect(
        importing.map((f) => f.name),
        `no test of ${name} imports ${sdk}`,
      ).not.toEqual([]);
    },
  );

  const documented = PROVIDERS.filter(
    ({ docs }) => docs.oracle !== 'none' && 'documented' in docs.oracle,
  ).map(({ name }) => name);

  it.each(documented)('%s: a test of it reproduces what its documentation shows', (name) => {
    expect(filesOf(name).some((f) => /document|docs'/i.test(f.text))).toBe(true);
  });

  it('every SDK the tests import is claimed by the providers it checks', () => {
    const claimed = new Set(claimedPackages.map(({ sdk }) => sdk));
    const sdks = [...declaredDependencies('devDependencies')].filter((name) => !TOOLING.has(name));
    const imported = sdks.filter((sdk) => FILES.some((f) => f.imports.has(sdk)));
    expect(imported.filter((sdk) => !claimed.has(sdk))).toEqual([]);
    expect(imported.length).toBeGreaterThan(10);
  });
});
