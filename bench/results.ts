import { mkdirSync, writeFileSync } from 'node:fs';

/** Writes one bench's results as `bench/results/<name>-<time>.json`; returns the file's path. */
export function writeResults(name: string, results: unknown): string {
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${name}-${new Date().toISOString().replaceAll(':', '-')}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`results written to ${file}`);
  return file;
}
