import { hash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beginClaims, markHandledAndCommit, recordFailure, storeEvent } from '@webhook-inbox/inbox';
import { ingressPerFile, sourcesFrom } from '@webhook-inbox/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../packages/verify/src/registry.ts';
import { CASES, type ProviderCase } from '../packages/verify/test/cases/index.ts';
import { runCli } from './cli-process.ts';

/** Whether the text holds a control character other than the newline. */
const hasControlCharacter = (text: string) =>
  [...text].some((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && c !== '\n') || (code >= 0x7f && code <= 0x9f);
  });

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

/**
 * The providers no suite case covers (their samples verify only under the sample certificate,
 * key set or bound option the module declares), each as a source of its own named after it.
 */
const uncovered = PROVIDERS.filter((p) => !CASES.some((c) => c.provider === p.name));
const uncoveredEntries = uncovered.map((p) => ({
  name: `other-${p.name}`,
  provider: p.name,
  secret: p.sampleSecret ?? 'a-secret-long-enough-for-hmac',
  options: p.sampleOptions ?? p.requiredOptions,
}));
const signable = uncoveredEntries.filter(
  (e) => PROVIDERS.find((p) => p.name === e.provider)?.sample,
);

const ingress = ingressPerFile(() => ({ sources: sourcesFrom([...entries, ...uncoveredEntries]) }));
let ingressUrl: string;
let sourcesFile: string;

beforeAll(async () => {
  sourcesFile = writeSources([...entries, ...uncoveredEntries]);
  ingressUrl = await ingress.app.listen({ port: 0, host: '127.0.0.1' });
});

describe('webhook-inbox send', () => {
  it.concurrent.each(CASES)(
    '$label: the ingress accepts what send signs',
    async (c: ProviderCase) => {
      const run = await runCli(['send', nameOf(c), '--url', ingressUrl, '--json'], {
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
    const run = await runCli(
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

  it("--repeat resends the same bytes, as a provider's retry; --changed-body signs afresh", async () => {
    const received: Array<{ body: string; headers: IncomingHttpHeaders }> = [];
    const capture = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ body, headers: request.headers });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    const captureUrl = `http://127.0.0.1:${(capture.address() as { port: number }).port}`;
    try {
      for (const changed of [[], ['--changed-body']]) {
        received.length = 0;
        // The README's example, with its sources file: the payments body carries a timestamp.
        const args = ['send', 'payments', '--id', 'evt_same', '--repeat', '2', ...changed];
        const run = await runCli([...args, '--url', captureUrl], {
          SOURCES_FILE: 'config/sources.json',
        });
        expect(run.code, run.stderr).toBe(0);
        const [first, second] = received;
        // Identical bytes (and signature) are what makes the second a non-conflicting duplicate.
        const same =
          first?.body === second?.body &&
          first?.headers['x-signature'] === second?.headers['x-signature'];
        expect(same).toBe(changed.length === 0);
        expect(JSON.parse(second?.body ?? '{}').id).toBe('evt_same');
      }
    } finally {
      capture.close();
    }
  });

  it('covers every provider: a suite case or a sample of its own', () => {
    expect(signable.map((e) => e.provider)).toEqual(
      expect.arrayContaining(['aws-sns', 'paypal', 'google-pubsub', 'mailgun', 'adyen']),
    );
    expect(uncoveredEntries.filter((e) => !signable.includes(e)).map((e) => e.provider)).toEqual([
      'plaid',
    ]);
  });

  it.concurrent.each(signable)(
    '$provider: the ingress accepts what send signs under the sample options',
    async ({ name, provider }) => {
      const run = await runCli(['send', name, '--url', ingressUrl, '--json'], {
        SOURCES_FILE: sourcesFile,
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const answer =
        provider === 'adyen'
          ? '[accepted]'
          : expect.objectContaining({ received: true, duplicate: false });
      expect(JSON.parse(run.stdout)).toMatchObject([{ status: 200, answer }]);
    },
    60_000,
  );

  it('says why it cannot sign for plaid, whose key only its API holds, exit 2', async () => {
    const run = await runCli(['send', 'other-plaid', '--url', ingressUrl], {
      SOURCES_FILE: sourcesFile,
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^webhook-inbox: provider "plaid" signs with a key only it holds, .*: have plaid send a test webhook/,
    );
  });

  it('names a source that does not exist in one line, exit 2', async () => {
    const run = await runCli(['send', 'nope', '--url', ingressUrl], { SOURCES_FILE: sourcesFile });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^webhook-inbox: no source "nope" in .* \(known: stripe, /);
  });
});

describe('the CLI contract: one line on stderr and exit 2 for what the user can fix', () => {
  const unreachable = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/webhooks' };
  const missing = {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/wi_cli_no_such_database',
  };
  it.each([
    ['events', [], unreachable, /ECONNREFUSED/],
    ['stats', [], unreachable, /ECONNREFUSED/],
    ['show', ['1'], unreachable, /ECONNREFUSED/],
    ['events', [], missing, /database "wi_cli_no_such_database" does not exist/],
    ['stats', [], missing, /does not exist/],
    ['show', ['1'], missing, /does not exist/],
  ] as const)('%s %s with Postgres at %o', async (command, args, settings, said) => {
    const run = await runCli([command, ...args], settings);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^webhook-inbox: Postgres at DATABASE_URL \(127\.0\.0\.1:\d+\/\w+\): /,
    );
    expect(lines[0]).toMatch(said);
  });

  it.each([[[]], [['frobnicate']], [['send', 'payments', '--repeat', '0']], [['show']]])(
    'usage error %o exits 2',
    async (args) => {
      const run = await runCli(args, {});
      expect(run.code).toBe(2);
    },
  );

  it('--help exits 0', async () => {
    expect((await runCli(['--help'], {})).code).toBe(0);
  });
});

describe('webhook-inbox doctor', () => {
  it('reports a stopped Redis and a missing secret, and says what to fix', async () => {
    const file = writeSources([
      { name: 'payments', provider: 'hmac', secret: 'env:WI_DOCTOR_PAYMENTS_SECRET' },
    ]);
    const run = await runCli(['doctor', '--json'], {
      DATABASE_URL: ingress.env.databaseUrl,
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
    const run = await runCli(['doctor', '--json'], {
      DATABASE_URL: ingress.env.databaseUrl,
      REDIS_URL: ingress.env.redisUrl,
      SOURCES_FILE: sourcesFile,
    });
    expect(JSON.parse(run.stdout).checks.filter((c: { ok: unknown }) => c.ok !== true)).toEqual([]);
    expect(run.code).toBe(0);
  });
});

describe('the inbox from the terminal', () => {
  const inboxEnv = () => ({
    DATABASE_URL: ingress.env.databaseUrl,
    REDIS_URL: ingress.env.redisUrl,
    QUEUE_PREFIX: ingress.env.queuePrefix,
    SOURCES_FILE: sourcesFile,
  });
  let deadId: number;
  let waitingId: number;

  beforeAll(async () => {
    const stored = async (eventId: string) => {
      const body = JSON.stringify({ id: eventId, data: { order: eventId } });
      const result = await storeEvent(ingress.env.db, {
        source: 'cli-inbox',
        eventId,
        eventType: 'order.paid',
        body,
        headers: JSON.stringify({ 'content-type': 'application/json' }),
        bodySha256: hash('sha256', body, 'hex'),
      });
      if (result.kind === 'unstorable' || result.kind === 'retained') throw new Error('not stored');
      return result.rowId;
    };
    deadId = await stored('evt_cli_dead');
    await recordFailure(ingress.env.db, deadId, new Error('handler failed'), true, {
      worker: 'worker test-host:1',
      startedAt: new Date(),
      durationMs: 12,
    });
    waitingId = await stored('evt_cli_waiting');
  });

  it('lists, shows and counts events', async () => {
    const listed = await runCli(['events', '--source', 'cli-inbox', '--json'], inboxEnv());
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((row: { eventId: string }) => row.eventId)).toEqual([
      'evt_cli_waiting',
      'evt_cli_dead',
    ]);
    const dead = await runCli(
      ['events', '--status', 'dead', '--since', '1h', '--json'],
      inboxEnv(),
    );
    expect(JSON.parse(dead.stdout).map((row: { id: number }) => row.id)).toEqual([deadId]);

    const shown = await runCli(['show', String(deadId), '--json'], inboxEnv());
    expect(JSON.parse(shown.stdout)).toMatchObject({
      status: 'dead',
      lastError: 'Error: handler failed',
      payload: { data: { order: 'evt_cli_dead' } },
    });

    const stats = await runCli(['stats', '--json'], inboxEnv());
    expect(JSON.parse(stats.stdout).bySourceAndStatus).toEqual(
      expect.arrayContaining([
        { source: 'cli-inbox', status: 'dead', count: 1 },
        { source: 'cli-inbox', status: 'received', count: 1 },
      ]),
    );
  });

  it('prints what senders chose with its control characters escaped, JSON as it was', async () => {
    const ESC = '\u001b';
    const BEL = '\u0007';
    const eventId = `evt_${ESC}]0;pwned${BEL}${ESC}[2J`;
    const eventType = `order.${ESC}]52;c;Y3VybCBldmlsIHwgc2g=${BEL}paid`;
    const body = JSON.stringify({ note: `${ESC}[8mhidden` });
    const stored = await storeEvent(ingress.env.db, {
      source: 'cli-hostile',
      eventId,
      eventType,
      body,
      headers: '{}',
      bodySha256: hash('sha256', body, 'hex'),
    });
    if (stored.kind === 'unstorable' || stored.kind === 'retained') throw new Error('not stored');

    const listed = await runCli(['events', '--source', 'cli-hostile'], {
      ...inboxEnv(),
      NO_COLOR: '1',
    });
    const shown = await runCli(['show', String(stored.rowId)], inboxEnv());
    for (const run of [listed, shown]) {
      expect(run.code).toBe(0);
      expect(hasControlCharacter(run.stdout)).toBe(false);
      expect(run.stdout).toContain('evt_\\x1b]0;pwned\\x07');
    }
    expect(shown.stdout).toContain('order.\\x1b]52;c;Y3VybCBldmlsIHwgc2g=\\x07paid');

    const json = await runCli(['show', String(stored.rowId), '--json'], inboxEnv());
    expect(JSON.parse(json.stdout)).toMatchObject({ eventId, eventType });
  });

  it('replays dead events by filter, after a dry run that changes nothing', async () => {
    const filter = ['--source', 'cli-inbox', '--status', 'dead'];
    const dry = await runCli(['replay', ...filter, '--dry-run', '--json'], inboxEnv());
    expect(JSON.parse(dry.stdout)).toEqual({ matching: 1, replayable: 1 });
    const statusOf = async (id: number) =>
      (
        await ingress.env.db.rows<{ status: string }>(
          'select status from webhook_events where id = $1',
          [id],
        )
      )[0]?.status;
    expect(await statusOf(deadId)).toBe('dead');

    const run = await runCli(['replay', ...filter, '--json'], inboxEnv());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ replayed: 1 });
    expect(await statusOf(deadId)).toBe('received');
  });

  it("shows the event's history: the failed attempt, the replay by the CLI, the success", async () => {
    const client = await ingress.env.db.pool.connect();
    try {
      await beginClaims(client, [deadId]);
      await markHandledAndCommit(client, [
        {
          rowId: deadId,
          status: 'processed',
          attempt: { worker: 'worker test-host:2', startedAt: new Date(), durationMs: 7 },
        },
      ]);
    } finally {
      client.release();
    }
    const shown = await runCli(['show', String(deadId)], inboxEnv());
    expect(shown.code).toBe(0);
    const history = shown.stdout.slice(shown.stdout.indexOf('history'));
    const lines = history.split('\n').filter((line) => /\d{4}-\d\d-\d\dT/.test(line));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/attempt.*dead.*12 ms.*worker test-host:1.*Error: handler failed/);
    expect(lines[1]).toMatch(/replayed.*received.*cli/);
    expect(lines[2]).toMatch(/attempt.*processed.*7 ms.*worker test-host:2/);

    const json = await runCli(['show', String(deadId), '--json'], inboxEnv());
    expect(
      JSON.parse(json.stdout).history.map(
        (entry: { kind: string; outcome: string; actor: string }) => [
          entry.kind,
          entry.outcome,
          entry.actor,
        ],
      ),
    ).toEqual([
      ['attempt', 'dead', 'worker test-host:1'],
      ['replay', 'received', 'cli'],
      ['attempt', 'processed', 'worker test-host:2'],
    ]);
  });

  it('refuses what cannot be done, saying why', async () => {
    const replayWaiting = await runCli(['replay', String(waitingId), '--json'], inboxEnv());
    expect(replayWaiting.code).toBe(1);
    expect(JSON.parse(replayWaiting.stdout)).toMatchObject([{ kind: 'not_replayable' }]);
    const retry = await runCli(['retry-now', String(waitingId), '--json'], inboxEnv());
    expect(retry.code).toBe(1);
    expect(JSON.parse(retry.stdout)).toEqual([
      { id: waitingId, kind: 'not_failed', status: 'received' },
    ]);
    const bad = await runCli(['show', 'abc'], inboxEnv());
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'webhook-inbox: "abc" is not a row ID (a whole number, as events lists them)',
    );
  });

  it('prunes on demand, and --dry-run only counts', async () => {
    const dry = await runCli(['prune', '--dry-run', '--json'], inboxEnv());
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      due: { delete: 0, tombstone: 0 },
    });
    const run = await runCli(['prune', '--json'], inboxEnv());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ pruned: { delete: 0, tombstone: 0 } });
  });
});
