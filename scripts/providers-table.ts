import { readFileSync, writeFileSync } from 'node:fs';
import { withProvidersTable } from '@webhook-inbox/verify';

/** Rewrites the providers table in every document that shows it, from the provider modules. */
export const DOCUMENTS_WITH_PROVIDERS_TABLE = ['README.md', 'docs/providers.md'];

for (const file of DOCUMENTS_WITH_PROVIDERS_TABLE) {
  const url = new URL(`../${file}`, import.meta.url);
  writeFileSync(url, withProvidersTable(readFileSync(url, 'utf8')));
}
