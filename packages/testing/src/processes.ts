import { type ChildProcess, spawn } from 'node:child_process';
import { childBaseEnv } from './env.ts';

/** Output lines kept per process: enough for assertions, bounded for long soaks. */
const KEPT_LINES = 20_000;

/** One of our apps running as a real process, with its output kept for assertions. */
export class AppProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #child: ChildProcess;
  #listeners: Array<() => void> = [];

  constructor(
    readonly name: string,
    entry: string,
    env: Record<string, string>,
    /** Extra options for node itself, such as `--cpu-prof` (not allowed in NODE_OPTIONS). */
    nodeArgs: readonly string[] = [],
  ) {
    // TypeScript source runs through tsx; a built bundle (`dist/*.mjs`) on plain node.
    const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
    this.#child = spawn(process.execPath, [...nodeArgs, ...loader, entry], {
      env: { ...childBaseEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        this.lines.push(...parts);
        if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
        for (const listener of this.#listeners) listener();
      });
    }
    this.exited = new Promise((resolve) =>
      this.#child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Waits for an output line matching `pattern`; fails with the output so far. */
  waitForLine(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (const line of this.lines) {
          const match = line.match(pattern);
          if (match) {
            done();
            resolve(match);
            return;
          }
        }
        if (!this.running) {
          done();
          reject(new Error(`${this.name} exited before printing ${pattern}:\n${this.tail()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`${this.name} did not print ${pattern} in ${timeoutMs} ms:\n${this.tail()}`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((listener) => listener !== check);
      };
      this.#listeners.push(check);
      void this.exited.then(check);
      check();
    });
  }

  tail(count = 20): string {
    return this.lines.slice(-count).join('\n');
  }

  kill(signal: NodeJS.Signals = 'SIGKILL') {
    if (this.running) this.#child.kill(signal);
  }

  /** SIGKILLs it if it is still running, and waits until it is gone. */
  async stop() {
    this.kill('SIGKILL');
    await this.exited;
  }
}
