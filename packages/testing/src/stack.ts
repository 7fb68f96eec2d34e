import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type Database } from '@webhook-inbox/db';
import { testServices } from './env.ts';
import { createTestDatabase, deleteRedisKeys, uniqueName } from './harness.ts';
import { expectedBalances, type PaymentToSend } from './load.ts';
import { AppProcess } from './processes.ts';

export const STACK_SECRET = 'stack-test-secret';

// Each app's entry point as its package exports it, not a path into its source tree.
const resolveEntry = createRequire(import.meta.url).resolve;
const INGRESS_MAIN = resolveEntry('@webhook-inbox/ingress/main');
const WORKER_MAIN = resolveEntry('@webhook-inbox/worker-app/main');

/**
 * The real processes (ingress, workers) on a database and queue prefix of their own, tuned
 * so that recovery happens in seconds. Everything it started is stopped by `stop()`.
 */
export class TestStack {
  readonly processes: AppProcess[] = [];

  private constructor(
    readonly databaseUrl: string,
    readonly queuePrefix: string,
    private readonly sourcesFile: string,
    private readonly dropDatabase: () => Promise<void>,
    readonly db: Database,
  ) {}

  /** `destinations`: the payments source's HTTP destinations, as the sources file lists them. */
  static async create(
    options: { readonly destinations?: readonly Record<string, unknown>[] } = {},
  ): Promise<TestStack> {
    const database = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'wi-stack-'));
    const sourcesFile = join(dir, 'sources.json');
    writeFileSync(
      sourcesFile,
      JSON.stringify([
        {
          name: 'payments',
          provider: 'hmac',
          secret: STACK_SECRET,
          retry: { attempts: 10, backoffMs: 200 },
          ...(options.destinations ? { destinations: options.destinations } : {}),
        },
      ]),
    );
    const db = createDb(database.url, { max: 2 });
    return new TestStack(database.url, uniqueName('q'), sourcesFile, database.drop, db);
  }

  private env(overrides: Record<string, string>): Record<string, string> {
    return {
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: testServices.redisUrl,
      QUEUE_PREFIX: this.queuePrefix,
      SOURCES_FILE: this.sourcesFile,
      LOG_LEVEL: 'info',
      // Any free port: the default admin ports would collide between parallel test files.
      METRICS_PORT: '0',
      ...overrides,
    };
  }

  /**
   * Starts an ingress on a free port, or on `overrides.PORT`; resolves with the URL of its
   * payments source. `entry` may name another script that starts ingresses (the built bundle,
   * the bench's cluster).
   */
  async startIngress(
    overrides: Record<string, string> = {},
    entry = INGRESS_MAIN,
    nodeArgs: readonly string[] = [],
  ) {
    const ingress = new AppProcess(
      'ingress',
      entry,
      this.env({ PORT: '0', ...overrides }),
      nodeArgs,
    );
    this.processes.push(ingress);
    // On a port of its own it is ready when it answers: its log may be quieter than `info`.
    const port =
      overrides.PORT && overrides.PORT !== '0'
        ? await answering(ingress, Number(overrides.PORT))
        : (await ingress.waitForLine(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/))[1];
    return { process: ingress, url: `http://127.0.0.1:${port}/webhooks/payments` };
  }

  /** The base URL of a started process's admin port (metrics, the worker's health checks). */
  static async adminUrlOf(process: AppProcess): Promise<string> {
    const [, url] = await process.waitForLine(
      /"url":"(http:[^"]+)\/metrics","msg":"metrics listening"/,
    );
    return url as string;
  }

  /** Starts a worker and waits until it is ready; `entry` may name the built bundle. */
  async startWorker(
    overrides: Record<string, string> = {},
    entry = WORKER_MAIN,
    nodeArgs: readonly string[] = [],
  ) {
    const worker = new AppProcess(
      'worker',
      entry,
      this.env({
        WORKER_CONCURRENCY: '8',
        WORKER_LOCK_DURATION_MS: '3000',
        WORKER_STALLED_INTERVAL_MS: '1000',
        WORKER_MAX_STALLED_COUNT: '50',
        RELAY_INTERVAL_MS: '500',
        RELAY_ORPHAN_AGE_MS: '2000',
        OUTAGE_RETRY_MS: '500',
        SHUTDOWN_GRACE_MS: '10000',
        ...overrides,
      }),
      nodeArgs,
    );
    this.processes.push(worker);
    await worker.waitForLine(/"msg":"worker ready"/);
    return worker;
  }

  /** SIGKILLs one of `workers` at random and starts another in its place, in `workers` too. */
  async killAndReplaceWorker(workers: AppProcess[], overrides: Record<string, string> = {}) {
    const victim = workers.splice(Math.floor(Math.random() * workers.length), 1)[0];
    victim?.kill('SIGKILL');
    workers.push(await this.startWorker(overrides));
  }

  /** Waits until every distinct event of `events` is processed (or fails after `timeoutMs`). */
  async waitUntilProcessed(events: readonly PaymentToSend[], timeoutMs = 60_000) {
    const ids = [...new Set(events.map((event) => event.eventId))];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await this.db.rows<{ n: number }>(
        `select count(*)::int as n from webhook_events where event_id = any($1) and status = 'processed'`,
        [ids],
      );
      if (row?.n === ids.length) return;
      if (Date.now() > deadline) {
        throw new Error(`${row?.n ?? 0} of ${ids.length} events processed after ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * Compares what was sent with what happened: one row per distinct event, all processed,
   * and every customer credited exactly once per event. Returns the differences (none: []).
   */
  async reconcile(events: readonly PaymentToSend[]): Promise<string[]> {
    const problems: string[] = [];
    const ids = [...new Set(events.map((event) => event.eventId))];
    const rows = await this.db.rows<{ event_id: string; status: string }>(
      'select event_id, status from webhook_events where event_id = any($1)',
      [ids],
    );
    if (rows.length !== ids.length)
      problems.push(`${rows.length} rows for ${ids.length} distinct events`);
    for (const row of rows) {
      if (row.status !== 'processed') problems.push(`${row.event_id} is ${row.status}`);
    }
    const expected = expectedBalances(events);
    const actual = await this.db.rows<{ id: string; balance: string }>(
      'select id, balance from accounts where id = any($1)',
      [[...expected.keys()]],
    );
    const balances = new Map(actual.map((row) => [row.id, Number(row.balance)]));
    for (const [customer, balance] of expected) {
      if (balances.get(customer) !== balance) {
        problems.push(`${customer}: balance ${balances.get(customer)} where ${balance} was due`);
      }
    }
    return problems;
  }

  async stop() {
    await Promise.all(this.processes.map((process) => process.stop()));
    await this.db.close();
    await deleteRedisKeys(testServices.redisUrl, this.queuePrefix);
    await this.dropDatabase();
  }
}

async function answering(process: AppProcess, port: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (process.running && Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return port;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${process.name} did not answer on port ${port}:\n${process.tail()}`);
}
