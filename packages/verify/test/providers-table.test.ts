import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { providerNames, withProvidersTable } from '../src/index.ts';
import { TABLE_END, TABLE_START } from '../src/providers-table.ts';

const read = (file: string) => readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8');

/** The provider names in the first column of the generated table, in order. */
function listedProviders(markdown: string) {
  const table = markdown.slice(markdown.indexOf(TABLE_START), markdown.indexOf(TABLE_END));
  return [...table.matchAll(/^\| `([a-z0-9-]+)`/gm)].map((match) => match[1]);
}

describe.each(['docs/providers.md', 'README.md'])('the providers table in %s', (file) => {
  it('lists exactly the registered providers, in the registry order', () => {
    expect(listedProviders(read(file))).toEqual(providerNames);
  });

  it('is what the provider modules say (regenerate with npm run docs:providers)', () => {
    const text = read(file);
    expect(withProvidersTable(text)).toBe(text);
  });
});
