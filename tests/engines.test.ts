import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean }>;
};

describe('the Node versions the README and engines promise', () => {
  it('every locked package supports the oldest Node that engines allows', () => {
    const oldest = semver.minVersion(root.engines.node)?.version as string;
    const refusing = Object.entries(lock.packages)
      .filter(([path, entry]) => {
        const wanted = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return path !== '' && wanted !== undefined && !semver.satisfies(oldest, wanted);
      })
      .map(([path, entry]) => `${path} wants node ${JSON.stringify(entry.engines)}`);
    expect(refusing).toEqual([]);
  });
});
