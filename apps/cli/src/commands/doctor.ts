import {
  ConfigError,
  readSourcesFile,
  type SourceSpec,
  type SourcesFile,
} from '@webhook-inbox/config';
import { createDb, migrationStatus } from '@webhook-inbox/db';
import { createRedis, waitForRedis } from '@webhook-inbox/queue';
import { createVerifier } from '@webhook-inbox/verify';
import { type CliEnv, processEnv } from '../env.ts';
import type { Output } from '../output.ts';

export interface Check {
  readonly check: string;
  readonly ok: boolean | 'warn';
  readonly detail: string;
  /** What to do about it, when it is not ok. */
  readonly fix?: string;
}

/** host:port/database, never the password a URL may carry. */
function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '(default port)'}${parsed.pathname}`;
}

/** Whether Postgres answers, and if not, what it said; never throws. */
async function postgresProblem(url: string): Promise<string | undefined> {
  const client = createDb(url, { max: 1, connectTimeoutMs: 3_000 });
  try {
    await client.rows('select 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || (error as { code?: string }).code || 'no answer';
  } finally {
    await client.close();
  }
}

async function checkPostgres(env: CliEnv): Promise<Check[]> {
  const problem = await postgresProblem(env.DATABASE_URL);
  if (problem !== undefined) {
    const missing = /does not exist/.test(problem);
    return [
      {
        check: 'postgres',
        ok: false,
        detail: `${where(env.DATABASE_URL)}: ${problem}`,
        fix: missing
          ? 'run npm run db:migrate (it creates the database)'
          : 'start Postgres, or set DATABASE_URL',
      },
    ];
  }
  const postgres: Check = { check: 'postgres', ok: true, detail: where(env.DATABASE_URL) };
  const { committed, pending } = await migrationStatus(env.DATABASE_URL);
  const migrations: Check =
    pending.length === 0
      ? { check: 'migrations', ok: true, detail: `all ${committed.length} applied` }
      : {
          check: 'migrations',
          ok: false,
          detail: `${pending.length} of ${committed.length} not applied: ${pending.join(', ')}`,
          fix: 'run npm run db:migrate',
        };
  return [postgres, migrations];
}

async function checkRedis(env: CliEnv): Promise<Check[]> {
  const redis = createRedis(env.REDIS_URL, 'producer');
  redis.on('error', () => {});
  try {
    if (!(await waitForRedis(redis, 3_000))) {
      return [
        {
          check: 'redis',
          ok: false,
          detail: `no answer from ${where(env.REDIS_URL)}`,
          fix: 'start Redis, or set REDIS_URL',
        },
      ];
    }
    // INFO works where CONFIG is disabled (managed Redis).
    const info = await redis.info('memory');
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? 'unknown';
    const redisCheck: Check = { check: 'redis', ok: true, detail: where(env.REDIS_URL) };
    const eviction: Check =
      policy === 'noeviction'
        ? { check: 'redis eviction', ok: true, detail: 'maxmemory-policy noeviction' }
        : {
            check: 'redis eviction',
            ok: false,
            detail: `maxmemory-policy is ${policy}: Redis may evict queued jobs`,
            fix: 'set maxmemory-policy noeviction (redis.conf, or CONFIG SET maxmemory-policy noeviction)',
          };
    return [redisCheck, eviction];
  } finally {
    redis.disconnect();
  }
}

function assemble(spec: SourceSpec) {
  return createVerifier(spec.provider, spec.options, spec.secrets);
}

function checkSources(env: CliEnv): Check[] {
  const file = env.SOURCES_FILE;
  let sourcesFile: SourcesFile;
  let secrets: Check[];
  try {
    sourcesFile = readSourcesFile(file);
    secrets = sourcesFile.secretReferences(processEnv()).map((ref) => ({
      check: `secret ${ref.source}`,
      ok: ref.set || ref.optional,
      detail: `${ref.variable} ${ref.set ? 'is set' : ref.optional ? 'unset (optional)' : 'is not set'}`,
      ...(ref.set || ref.optional ? {} : { fix: `set ${ref.variable} in the environment` }),
    }));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [{ check: 'sources file', ok: false, detail: error.message, fix: `fix ${file}` }];
  }
  if (secrets.some((check) => !check.ok)) {
    const detail = 'providers and options are checked once every secret is set';
    return [{ check: 'sources file', ok: 'warn', detail }, ...secrets];
  }
  try {
    const sources = sourcesFile.resolve(processEnv(), assemble);
    const detail = `${file}: ${sources.size} sources (${[...sources.keys()].join(', ')})`;
    return [{ check: 'sources file', ok: true, detail }, ...secrets];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [
      { check: 'sources file', ok: false, detail: error.message, fix: `fix ${file}` },
      ...secrets,
    ];
  }
}

/** Checks what the services need and says what to fix; exit code 1 when anything fails. */
export async function doctor(env: CliEnv, out: Output): Promise<number> {
  const [postgres, redis] = await Promise.all([checkPostgres(env), checkRedis(env)]);
  const checks = [...postgres, ...redis, ...checkSources(env)];
  const failed = checks.filter((check) => check.ok === false);
  out.result({ ok: failed.length === 0, checks }, () => {
    const table = out.table(
      ['check', 'status', 'detail'],
      checks.map((c) => [
        c.check,
        out.status(c.ok),
        c.fix ? `${c.detail}\n${out.color.yellow(`→ ${c.fix}`)}` : c.detail,
      ]),
    );
    const summary =
      failed.length === 0
        ? out.color.green('everything looks right')
        : out.color.red(`${failed.length} problem(s) to fix`);
    return `${table}\n${summary}`;
  });
  return failed.length === 0 ? 0 : 1;
}
