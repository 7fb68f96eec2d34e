import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, testServices } from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

const MAINS = {
  ingress: 'apps/ingress/src/main.ts',
  worker: 'apps/worker/src/main.ts',
  migrate: 'packages/db/src/migrate-cli.ts',
};

function start(app: keyof typeof MAINS, env: Record<string, string>) {
  const result = spawnSync(tsx, [MAINS[app]], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr.trim() };
}

function sourcesFile(entries: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wi-startup-')), 'sources.json');
  writeFileSync(file, JSON.stringify(entries));
  return file;
}

describe('start-up with bad configuration', () => {
  it('stops the ingress with one line naming the sources entry', () => {
    const file = sourcesFile([{ name: 'payments', provider: 'hmac', secret: 'env:UNSET_SECRET' }]);
    const { status, stderr } = start('ingress', { SOURCES_FILE: file });
    expect(status).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^ingress: .*sources\.json: entry 0 \("payments"\): secret env:UNSET_SECRET: environment variable UNSET_SECRET is not set$/,
    );
  });

  it('stops the ingress with one line naming a bad setting', () => {
    const { status, stderr } = start('ingress', { PORT: 'eighty' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^ingress: invalid environment: PORT: [^\n]+$/);
  });

  it('stops the ingress with one line naming a per-client connection limit below one', () => {
    const { status, stderr } = start('ingress', { MAX_CONNECTIONS_PER_CLIENT: '0' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^ingress: invalid environment: MAX_CONNECTIONS_PER_CLIENT: [^\n]+$/);
  });

  it('stops the ingress when the header deadline outlasts the request deadline', () => {
    const { status, stderr } = start('ingress', {
      REQUEST_TIMEOUT_MS: '5000',
      HEADERS_TIMEOUT_MS: '6000',
    });
    expect(status).toBe(1);
    expect(stderr).toBe(
      'ingress: invalid environment: HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS',
    );
  });

  it('stops the ingress with one line naming a blank secret', () => {
    const file = sourcesFile([{ name: 'payments', provider: 'hmac', secret: 'env:BLANK' }]);
    const { status, stderr } = start('ingress', { SOURCES_FILE: file, BLANK: '   ' });
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /^ingress: .*sources\.json: entry 0 \("payments"\): secret env:BLANK: environment variable BLANK is only whitespace$/,
    );
  });

  it('stops the worker with one line naming a bad setting', () => {
    const { status, stderr } = start('worker', { WORKER_CONCURRENCY: '0' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^worker: invalid environment: WORKER_CONCURRENCY: [^\n]+$/);
  });

  it('stops migrations with one line naming a bad setting', () => {
    const { status, stderr } = start('migrate', { DATABASE_URL: 'not a url' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^migrate: invalid environment: DATABASE_URL: [^\n]+$/);
  });

  it('stops migrations with one line saying to start Postgres when nothing answers', async () => {
    const port = await freePort();
    for (const host of ['127.0.0.1', 'localhost']) {
      const url = `postgres://postgres:hunter2-not-shown@${host}:${port}/wi_unreached`;
      const { status, stderr } = start('migrate', { DATABASE_URL: url });
      expect(status).toBe(1);
      expect(stderr).toBe(
        `migration failed: no Postgres answers at ${host}:${port} (ECONNREFUSED): start it, or set DATABASE_URL to where it runs`,
      );
    }
  });

  it('stops migrations with one line naming a host name that resolves to nothing', () => {
    // .invalid is reserved (RFC 2606): no resolver answers it with an address.
    const url = 'postgres://postgres@wi-no-such-host.invalid:5432/wi_unreached';
    const { status, stderr } = start('migrate', { DATABASE_URL: url });
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /^migration failed: cannot resolve wi-no-such-host\.invalid \((ENOTFOUND|EAI_AGAIN)\): set DATABASE_URL to where Postgres runs$/,
    );
  });

  it('stops migrations with one line naming the user Postgres refused, never the password', () => {
    const url = new URL(testServices.postgresUrl);
    url.username = 'wi_no_such_role';
    url.password = 'hunter2-not-shown';
    const { status, stderr } = start('migrate', { DATABASE_URL: url.toString() });
    expect(status).toBe(1);
    expect(stderr).toMatch(
      /^migration failed: Postgres at [^ ]+ refused wi_no_such_role \(.+\): fix the user or password in DATABASE_URL$/,
    );
    expect(stderr).not.toContain('hunter2');
  });

  it('stops the ingress when the sources file is missing', () => {
    const { status, stderr } = start('ingress', { SOURCES_FILE: '/nonexistent/sources.json' });
    expect(status).toBe(1);
    expect(stderr).toBe(
      'ingress: /nonexistent/sources.json: cannot read the sources file (set SOURCES_FILE)',
    );
  });
});
