import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventDeliveryDetails } from '@webhook-inbox/inbox';
import { deliveryJobIdFor } from '@webhook-inbox/queue';
import {
  createTestEnvironment,
  PAYMENTS_SECRET,
  seedDelivery,
  seedRows,
  type TestEnvironment,
} from '@webhook-inbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.ts';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

let env: TestEnvironment;
let sourcesFile: string;
let rowId: number;

const cliEnv = () => ({
  DATABASE_URL: env.databaseUrl,
  REDIS_URL: env.redisUrl,
  QUEUE_PREFIX: env.queuePrefix,
  SOURCES_FILE: sourcesFile,
  // The secrets stay unset: listing and enabling read only the destinations' routes.
  NO_COLOR: '1',
});

beforeAll(async () => {
  env = await createTestEnvironment();
  sourcesFile = join(mkdtempSync(join(tmpdir(), 'wi-cli-deliveries-')), 'sources.json');
  const destination = (name: string, types?: string[]) => ({
    name,
    url: `http://127.0.0.1:9/${name}`,
    secret: 'env:UNSET_DESTINATION_SECRET',
    ...(types ? { types } : {}),
  });
  writeFileSync(
    sourcesFile,
    JSON.stringify([
      {
        name: 'payments',
        provider: 'hmac',
        secret: PAYMENTS_SECRET,
        destinations: [destination('billing'), destination('ledger', ['payment.*'])],
      },
      { name: 'plain', provider: 'hmac', secret: SECRET },
    ]),
  );
  [rowId] = (await seedRows(env, [{ eventId: 'evt_cli_fanout', status: 'processed' }])) as [number];
  await seedDelivery(env, rowId, {
    destination: 'billing',
    attempts: [
      { statusCode: 500, outcome: 'failed', response: 'boom\nline two', latencyMs: 17 },
      { outcome: 'failed', error: 'connect ECONNREFUSED', latencyMs: 2 },
    ],
    nextAttemptAt: new Date(Date.now() + 3_600_000),
  });
  await seedDelivery(env, rowId, {
    destination: 'ledger',
    attempts: [{ statusCode: 410, outcome: 'disabled', response: 'gone' }],
  });
});
afterAll(async () => {
  await env.cleanup();
});

describe('webhook-inbox show: deliveries', () => {
  it("prints each destination's state, last answer, next attempt, last error and attempts", async () => {
    const run = await runCli(['show', String(rowId)], cliEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    const section = out.slice(out.indexOf('deliveries'));
    const billing = section.split('\n').find((line) => line.includes('│ billing'));
    expect(billing).toMatch(/failed.*│ 2 .*no answer in 2 ms.*\d{4}-\d\d-\d\dT.*ECONNREFUSED/);
    const ledger = section.split('\n').find((line) => line.includes('│ ledger'));
    expect(ledger).toMatch(/disabled .*410 in 12 ms.*│ —/);
    expect(section).toContain(
      'ledger answered 410 Gone and is disabled; `webhook-inbox destinations enable payments ledger` sends it events again',
    );
    const attempts = section.slice(section.indexOf('attempts to billing'));
    expect(attempts).toMatch(/│ 1 .*500 .*17 ms.*failed/);
    expect(attempts).toMatch(/│ 2 .*no answer.*2 ms.*connect ECONNREFUSED/);
    expect(attempts).toContain('response to #1 (first KiB):\n    boom\n    line two\n');
  });

  it('gives the deliveries and every attempt in --json', async () => {
    const run = await runCli(['show', String(rowId), '--json'], cliEnv());
    const shown = JSON.parse(run.stdout);
    expect(shown.deliveries.map((d: { destination: string }) => d.destination)).toEqual([
      'billing',
      'ledger',
    ]);
    expect(shown.deliveries[0]).toMatchObject({
      status: 'failed',
      attempts: 2,
      destinationDisabled: false,
      lastError: 'connect ECONNREFUSED',
    });
    expect(shown.deliveries[0].history[0]).toMatchObject({
      statusCode: 500,
      latencyMs: 17,
      responseSnippet: 'boom\nline two',
    });
    expect(Date.parse(shown.deliveries[0].nextAttemptAt)).toBeGreaterThan(Date.now());
  });

  it('says when no destination takes the event', async () => {
    const [plain] = (await seedRows(env, [{ eventId: 'evt_cli_plain', source: 'plain' }])) as [
      number,
    ];
    const run = await runCli(['show', String(plain)], cliEnv());
    expect(run.stdout).toContain('no HTTP destination takes this event');
  });
});

describe('webhook-inbox destinations', () => {
  it('lists each configured destination and whether a 410 disabled it', async () => {
    const run = await runCli(['destinations', '--json'], cliEnv());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      { source: 'payments', destination: 'billing', types: ['*'], disabled: null },
      {
        source: 'payments',
        destination: 'ledger',
        types: ['payment.*'],
        disabled: { at: expect.any(String), reason: 'answered 410 Gone' },
      },
    ]);
  });

  it('names an unknown source or destination in one line, exit 2, and changes nothing', async () => {
    const source = await runCli(['destinations', 'enable', 'nope', 'ledger'], cliEnv());
    expect(source.code).toBe(2);
    expect(source.stderr).toContain('no source "nope" with destinations');
    expect(source.stderr).toContain('(sources with destinations: payments)');
    const destination = await runCli(['destinations', 'enable', 'payments', 'nope'], cliEnv());
    expect(destination.code).toBe(2);
    expect(destination.stderr).toContain(
      'source "payments" has no destination "nope" (it has: billing, ledger)',
    );
    expect((await eventDeliveryDetails(env.db, rowId))[1]?.status).toBe('disabled');
  });

  it('enables a disabled destination and queues again what it refused; a second time exits 1', async () => {
    const run = await runCli(['destinations', 'enable', 'payments', 'ledger'], cliEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'enabled payments/ledger: 1 delivery(ies) it refused queued again',
    );
    expect((await eventDeliveryDetails(env.db, rowId))[1]).toMatchObject({
      status: 'pending',
      attempts: 0,
      destinationDisabled: false,
    });
    expect(await env.deliveryQueue.getJobState(deliveryJobIdFor(rowId, 'ledger'))).toBe('waiting');

    const again = await runCli(
      ['destinations', 'enable', 'payments', 'ledger', '--json'],
      cliEnv(),
    );
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toEqual({
      source: 'payments',
      destination: 'ledger',
      kind: 'not_disabled',
      resumed: 0,
    });
  });
});

describe('webhook-inbox destinations redeliver', () => {
  it("sends a processed event's dead delivery again; refuses one still on its way, exit 1", async () => {
    const [processed] = (await seedRows(env, [
      { eventId: 'evt_cli_redeliver', status: 'processed' },
    ])) as [number];
    await seedDelivery(env, processed, {
      destination: 'billing',
      attempts: [{ statusCode: 502, outcome: 'dead' }],
    });
    const sent = await runCli(
      ['destinations', 'redeliver', String(processed), 'billing'],
      cliEnv(),
    );
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain(`sending row ${processed} to billing again, from attempt 1`);
    expect((await eventDeliveryDetails(env.db, processed))[0]?.status).toBe('pending');
    expect(await env.deliveryQueue.getJobState(deliveryJobIdFor(processed, 'billing'))).toBe(
      'waiting',
    );

    const again = await runCli(
      ['destinations', 'redeliver', String(processed), 'billing', '--json'],
      cliEnv(),
    );
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({
      kind: 'not_redeliverable',
      status: 'pending',
    });
    const bad = await runCli(['destinations', 'redeliver', 'x', 'billing'], cliEnv());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"x" is not a row ID');
  });
});
