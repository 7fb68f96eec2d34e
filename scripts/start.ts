// `npm start`: migrate, then run every process in the foreground for local use. Ctrl-C stops all.
import { type ChildProcess, spawn } from 'node:child_process';

const processes = [
  { name: 'ingress', entry: 'apps/ingress/src/main.ts' },
  { name: 'worker', entry: 'apps/worker/src/main.ts' },
];

function run(entry: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry], { stdio: 'inherit' });
}

const migrated = await new Promise<number | null>((resolve) =>
  run('packages/db/src/migrate-cli.ts').on('exit', resolve),
);
if (migrated !== 0) process.exit(migrated ?? 1);

const children = processes.map(({ name, entry }) => ({ name, child: run(entry) }));
let stopping = false;

function stopAll(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) if (child.exitCode === null) child.kill(signal);
}

// Ctrl-C reaches the whole process group; SIGTERM (from a supervisor) reaches only us, so pass it on.
process.on('SIGINT', () => stopAll('SIGTERM'));
process.on('SIGTERM', () => stopAll('SIGTERM'));

const codes = await Promise.all(
  children.map(
    ({ name, child }) =>
      new Promise<number>((resolve) =>
        child.on('exit', (code, signal) => {
          if (!stopping) {
            console.error(`${name} exited (${signal ?? code}); stopping the others`);
            stopAll('SIGTERM');
          }
          resolve(code ?? 1);
        }),
      ),
  ),
);
process.exit(Math.max(...codes));
