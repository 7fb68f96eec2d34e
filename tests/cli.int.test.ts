import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childBaseEnv, createTestEnvironment, type TestEnvironment } from '@webhook-inbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, type ProviderCase } from '../packages/verify/test/cases/index.ts';
import { ingressFor, sourcesFrom } from './support.ts';

const BIN = join(process.cwd(), 'apps/cli/bin/webhook-inbox.js');

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI as a user would, with only the environment given. */
function cli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...childBaseEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function writeSources(entries: unknown[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wi-cli-')), 'sources.json');
  writeFileSync(file, JSON.stringify(entries));
  return file;
}

/** One source per provider configuration the verifier suites run, under a name of its own. */
const nameOf = (c: ProviderCase) =>
  c.label
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/-+$/, '')
    .toLowerCase();
const entries = CASES.map((c) => ({
  name: nameOf(c),
  provider: c.provider,
  secret: c.secret,
  options: c.options,
}));

let env: TestEnvironment;
let app: ReturnType<typeof ingressFor>;
let ingressUrl: string;
let sourcesFile: string;

beforeAll(async () => {
  env = await createTestEnvironment();
  sourcesFile = writeSources(entries);
  app = ingressFor(env, sourcesFrom(entries));
  ingressUrl = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await env?.cleanup();
});

describe('webhook-inbox send', () => {
  it.concurrent.each(CASES)(
    '$label: the ingress accepts what send signs',
    async (c: ProviderCase) => {
      const run = await cli(['send', nameOf(c), '--url', ingressUrl, '--json'], {
        SOURCES_FILE: sourcesFile,
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject([
        { status: 200, answer: { received: true, duplicate: false } },
      ]);
    },
    60_000,
  );

  it('sends one event several times with --id: the later ones are duplicates', async () => {
    const run = await cli(
      [
        'send',
        'hmac-defaults',
        '--id',
        'evt_cli_repeat',
        '--repeat',
        '3',
        '--url',
        ingressUrl,
        '--json',
      ],
      { SOURCES_FILE: sourcesFile },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).map((sent: { answer: unknown }) => sent.answer)).toEqual([
      { received: true, duplicate: false },
      { received: true, duplicate: true },
      { received: true, duplicate: true },
    ]);
  });

  it('names a source that does not exist in one line, exit 2', async () => {
    const run = await cli(['send', 'nope', '--url', ingressUrl], { SOURCES_FILE: sourcesFile });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^webhook-inbox: no source "nope" in .* \(known: stripe, /);
  });
});

describe('webhook-inbox doctor', () => {
  it('reports a stopped Redis and a missing secret, and says what to fix', async () => {
    const file = writeSources([
      { name: 'payments', provider: 'hmac', secret: 'env:WI_DOCTOR_PAYMENTS_SECRET' },
    ]);
    const run = await cli(['doctor', '--json'], {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: 'redis://127.0.0.1:1',
      SOURCES_FILE: file,
    });
    expect(run.code).toBe(1);
    const { ok, checks } = JSON.parse(run.stdout);
    expect(ok).toBe(false);
    expect(checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'postgres', ok: true }),
        expect.objectContaining({ check: 'migrations', ok: true }),
        expect.objectContaining({
          check: 'redis',
          ok: false,
          fix: 'start Redis, or set REDIS_URL',
        }),
        expect.objectContaining({
          check: 'secret payments',
          ok: false,
          fix: 'set WI_DOCTOR_PAYMENTS_SECRET in the environment',
        }),
      ]),
    );
  });

  it('passes when everything is in place', async () => {
    const run = await cli(['doctor', '--json'], {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      SOURCES_FILE: sourcesFile,
    });
    expect(JSON.parse(run.stdout).checks.filter((c: { ok: unknown }) => c.ok !== true)).toEqual([]);
    expect(run.code).toBe(0);
  });
});
