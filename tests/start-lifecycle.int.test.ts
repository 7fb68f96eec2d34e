import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import {
  childBaseEnv,
  createTestDatabase,
  deleteRedisKeys,
  testServices,
  uniqueName,
} from '@webhook-inbox/testing';
import { afterAll, describe, expect, it } from 'vitest';

/** Listens on a free port; the caller closes it to free the port for the process under test. */
function listening(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
const portOf = (server: Server) => (server.address() as { port: number }).port;
const close = (server: Server) => new Promise((resolve) => server.close(resolve));
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, listening));
  const ports = servers.map(portOf);
  await Promise.all(servers.map(close));
  return ports;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  } catch {
    return []; // ps exits 1 when nothing matches.
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** `npm start` exactly as a user types it, in the given environment. */
function npmStart(env: Record<string, string>): Started {
  const child = spawn('npm', ['start'], {
    env: { ...childBaseEnv, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until(what: string, check: () => boolean, timeoutMs: number, started: Started) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Every process stops before its queue prefix is deleted: a live BullMQ handle writes keys back.
const stops: Array<() => Promise<unknown>> = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const stop of stops) await stop();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function stackEnv() {
  const database = await createTestDatabase();
  const queuePrefix = uniqueName('q');
  cleanups.push(async () => {
    await deleteRedisKeys(testServices.redisUrl, queuePrefix);
    await database.drop();
  });
  const [port, dashboardPort, ingressMetrics, workerMetrics] = await freePorts(4);
  const ports = [port, dashboardPort, ingressMetrics, workerMetrics] as number[];
  return {
    ports,
    env: {
      DATABASE_URL: database.url,
      REDIS_URL: testServices.redisUrl,
      QUEUE_PREFIX: queuePrefix,
      PORT: String(port),
      DASHBOARD_PORT: String(dashboardPort),
      INGRESS_METRICS_PORT: String(ingressMetrics),
      WORKER_METRICS_PORT: String(workerMetrics),
    },
  };
}

/** The start script under npm, and the ingress, worker and dashboard under it. */
async function processTree(started: Started): Promise<{ script: number; apps: number[] }> {
  let script = 0;
  let apps: number[] = [];
  await until(
    'the three apps to run',
    () => {
      // npm runs the script through `sh -c`; with `exec` the shell is the script.
      script = childrenOf(started.child.pid as number)[0] ?? 0;
      apps = script ? childrenOf(script).filter((pid) => !isEsbuild(pid)) : [];
      return apps.length === 3 && started.output().includes('webhook-inbox is running');
    },
    60_000,
    started,
  );
  return { script, apps };
}

// A child listed a moment ago may be gone by now (tsx's esbuild service comes and goes): `ps`
// then exits 1, and a process that is gone is not one of the apps.
function isEsbuild(pid: number): boolean {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes(
      'esbuild',
    );
  } catch {
    return true;
  }
}

describe('npm start stops as a whole', () => {
  for (const [signal, target] of [
    ['SIGTERM', 'npm'],
    ['SIGTERM', 'script'],
    ['SIGINT', 'script'],
  ] as const) {
    it(`${signal} to the ${target} process stops every child and frees every port`, async () => {
      const { env, ports } = await stackEnv();
      const started = npmStart(env);
      stops.push(async () => {
        if (started.child.exitCode === null) started.child.kill('SIGTERM');
        await started.exited;
      });
      const { script, apps } = await processTree(started);
      for (const port of ports) expect(await portIsFree(port)).toBe(false);

      process.kill(target === 'npm' ? (started.child.pid as number) : script, signal);
      await until('every process to stop', () => ![script, ...apps].some(alive), 20_000, started);
      for (const port of ports) expect(await portIsFree(port)).toBe(true);
    }, 90_000);
  }
});

describe('npm start with a failing child', () => {
  it('exits promptly naming the child, and leaves nothing running', async () => {
    const { env } = await stackEnv();
    const taken = await listening();
    cleanups.push(() => close(taken).then(() => undefined));
    const started = npmStart({ ...env, WORKER_METRICS_PORT: String(portOf(taken)) });
    const code = await Promise.race([
      started.exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 25_000)),
    ]);
    expect(code, started.output()).toBe(1);
    expect(started.output()).toContain(`worker: cannot listen on 127.0.0.1:${portOf(taken)}`);
    expect(started.output()).toMatch(/npm start: worker exited \(1\); stopping the others/);
    expect(started.output()).not.toContain('webhook-inbox is running');
  }, 60_000);

  it('refuses one METRICS_PORT for both ingress and worker, naming the settings to use', async () => {
    const { env } = await stackEnv();
    const [shared] = await freePorts(1);
    const { INGRESS_METRICS_PORT, WORKER_METRICS_PORT, ...rest } = env;
    const started = npmStart({ ...rest, METRICS_PORT: String(shared) });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain(
      `the ingress and the worker would both bind metrics port ${shared}: set INGRESS_METRICS_PORT and WORKER_METRICS_PORT`,
    );
  }, 30_000);
});
