import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestEnvironment, storeRow, type TestEnvironment } from '@webhook-inbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.ts';

let env: TestEnvironment;
let cliEnv: Record<string, string>;

const ordering = { key: ['order'], by: 'received' };

beforeAll(async () => {
  env = await createTestEnvironment();
  const dir = mkdtempSync(join(tmpdir(), 'wi-cli-ordering-'));
  const sourcesFile = join(dir, 'sources.json');
  writeFileSync(
    sourcesFile,
    JSON.stringify([
      { name: 'shop', provider: 'hmac', secret: 'a-long-enough-test-secret', ordering },
    ]),
  );
  cliEnv = {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.queuePrefix,
    SOURCES_FILE: sourcesFile,
  };
});
afterAll(async () => {
  await env?.cleanup();
});

async function store(eventId: string, order: string) {
  const body = JSON.stringify({ order, eventId });
  return (await storeRow(env, { source: 'shop', eventId, body, ordering })).rowId;
}

describe('webhook-inbox blocked and skip', () => {
  it('lists a key held by a dead event, and skips it so the key goes on', async () => {
    const poison = await store('cli_o1', 'ord_1');
    await store('cli_o2', 'ord_1');
    await store('cli_o3', 'ord_1');
    await env.db.rows(
      `update webhook_events set status = 'dead', attempts = 3, last_error = 'Error: boom' where id = $1`,
      [poison],
    );

    const listed = await runCli(['blocked', '--json'], cliEnv);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        source: 'shop',
        key: 'ord_1',
        blockingRowId: poison,
        blockingEventId: 'cli_o1',
        status: 'dead',
        lastError: 'Error: boom',
        waiting: 2,
      },
    ]);

    const skipped = await runCli(['skip', String(poison), '--json'], cliEnv);
    expect(skipped.code).toBe(0);
    expect(JSON.parse(skipped.stdout)).toEqual([
      { id: poison, kind: 'skipped', rowId: poison, key: { source: 'shop', key: 'ord_1' } },
    ]);
    const after = await runCli(['blocked'], cliEnv);
    expect(after.stdout.trim()).toBe('no ordering key is blocked');
    const shown = await runCli(['show', String(poison)], cliEnv);
    expect(shown.stdout).toMatch(/ordering key\s*│\s*ord_1\s/);
    expect(shown.stdout).toMatch(/skipped \(the events after it in its ordering key went on\)/);
  });

  it('refuses to skip what holds nothing back, and exits 1', async () => {
    const done = await store('cli_o4', 'ord_2');
    await env.db.rows(`update webhook_events set status = 'processed' where id = $1`, [done]);
    const run = await runCli(['skip', String(done), '999999', '--json'], cliEnv);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([
      { id: done, kind: 'not_skippable', status: 'processed' },
      { id: 999999, kind: 'missing' },
    ]);
  });

  it('refuses a row ID that is not a number, as a usage error', async () => {
    const run = await runCli(['skip', 'evt_1'], cliEnv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/"evt_1" is not a row ID/);
  });
});
