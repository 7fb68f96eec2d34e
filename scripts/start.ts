// `npm start`: migrate, then run ingress, worker and dashboard in the foreground for local use,
// and print where to find them. Without HANDLERS_MODULE the worker runs the payments example. Ctrl-C, SIGTERM or one child failing stops all.
import { type ChildProcess, spawn } from 'node:child_process';
import { configOrExit } from '@webhook-inbox/config';
import { oneTimePassword, readDashboardEnv } from '@webhook-inbox/dashboard';
import { readIngressEnv } from '@webhook-inbox/ingress';
import { readWorkerEnv } from '@webhook-inbox/worker';

/** How long the children get to close after a signal before they are killed. */
const STOP_GRACE_MS = 15_000;

const ingress = configOrExit('ingress', () => readIngressEnv());
const worker = configOrExit('worker', () => readWorkerEnv());
const dashboard = configOrExit('dashboard', () => readDashboardEnv());
if (ingress.METRICS_PORT !== 0 && ingress.METRICS_PORT === worker.METRICS_PORT) {
  console.error(
    `npm start: the ingress and the worker would both bind metrics port ${ingress.METRICS_PORT}: set INGRESS_METRICS_PORT and WORKER_METRICS_PORT (or METRICS_PORT=0) instead of one METRICS_PORT`,
  );
  process.exit(1);
}
// Jupyter-style: on loopback without a configured password, one is made for this run only.
const generatedPassword =
  dashboard.DASHBOARD_PASSWORD || dashboard.DASHBOARD_PASSWORD_HASH ? undefined : oneTimePassword();

const processes = [
  { name: 'ingress', entry: 'apps/ingress/src/main.ts' },
  { name: 'worker', entry: 'apps/worker/src/main.ts' },
  { name: 'dashboard', entry: 'apps/dashboard/src/main.ts' },
];

function run(entry: string): ChildProcess {
  const env = generatedPassword
    ? { ...process.env, DASHBOARD_PASSWORD: generatedPassword }
    : process.env;
  // The IPC channel carries one message, the child's `announceReady()` once it serves.
  return spawn(process.execPath, ['--import', 'tsx', entry], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env,
  });
}

function urlOf(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

let stopping = false;
let running: ChildProcess[] = [];

function stopAll(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  for (const child of running) if (child.exitCode === null) child.kill(signal);
  // A child that hangs on close must not keep its port, nor this process, alive.
  setTimeout(() => {
    for (const child of running) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, STOP_GRACE_MS).unref();
}

// Ctrl-C reaches the whole process group; SIGTERM (from a supervisor, `kill`) and a SIGINT
// sent to this process alone reach only us, so pass them on. Registered before the migration,
// so a signal then stops it too.
process.on('SIGINT', () => stopAll('SIGTERM'));
process.on('SIGTERM', () => stopAll('SIGTERM'));

/** Whether `child` says it serves before it exits. */
function ready(child: ChildProcess): Promise<boolean> {
  return new Promise((resolve) => {
    child.on('message', (message) => message === 'ready' && resolve(true));
    child.on('exit', () => resolve(false));
  });
}

// The example's migrate step applies the product's migrations and then its own; a worker
// running your HANDLERS_MODULE gets the product's alone (migrate your tables as you deploy them).
const migration = run(
  worker.HANDLERS_MODULE === undefined
    ? 'examples/payments/src/migrate-cli.ts'
    : 'packages/db/src/migrate-cli.ts',
);
running = [migration];
const migrated = await new Promise<number | null>((resolve) => migration.on('exit', resolve));
if (migrated !== 0 || stopping) process.exit(migrated || 1);

const children = processes.map(({ name, entry }) => ({ name, child: run(entry) }));
running = children.map(({ child }) => child);

const exits = children.map(
  ({ name, child }) =>
    new Promise<number>((resolve) =>
      child.on('exit', (code, signal) => {
        if (!stopping) {
          console.error(`npm start: ${name} exited (${signal ?? code}); stopping the others`);
          stopAll('SIGTERM');
        }
        resolve(code ?? 1);
      }),
    ),
);

const ingressUrl = urlOf(ingress.HOST, ingress.PORT);
const dashboardUrl = urlOf(dashboard.DASHBOARD_HOST, dashboard.DASHBOARD_PORT);
const allReady = await Promise.all(children.map(({ child }) => ready(child)));
if (allReady.every(Boolean) && !stopping) {
  const login = generatedPassword
    ? `log in as ${dashboard.DASHBOARD_USER} with the one-time password ${generatedPassword}`
    : `log in as ${dashboard.DASHBOARD_USER} with DASHBOARD_PASSWORD`;
  console.log(
    [
      '',
      '  webhook-inbox is running (Ctrl-C stops it)',
      `    webhooks:   ${ingressUrl}/webhooks/<source>`,
      `    dashboard:  ${dashboardUrl}/   ${login}`,
      '',
    ].join('\n'),
  );
}

const codes = await Promise.all(exits);
process.exit(Math.max(...codes));
