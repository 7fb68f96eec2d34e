import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UNCAUGHT_ERROR_EXIT_CODE } from '../src/index.ts';

const fixture = fileURLToPath(new URL('./fixtures/process.ts', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly lines: Array<Record<string, unknown>>;
}

function run(scenario: string, signal?: NodeJS.Signals): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, scenario], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (signal && out.includes('"ready"')) child.kill(signal);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${scenario} did not exit:\n${out}`));
    }, 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        lines: out
          .trim()
          .split('\n')
          .map((text) => JSON.parse(text)),
      });
    });
  });
}

const messages = ({ lines }: Run) => lines.map((line) => line.msg);

describe('stopGracefully', () => {
  it('logs an uncaught error as fatal, lets the work in flight finish, and exits 1', async () => {
    const result = await run('exception');
    expect(result.code).toBe(UNCAUGHT_ERROR_EXIT_CODE);
    expect(result.lines).toContainEqual(
      expect.objectContaining({
        level: 'fatal',
        err: 'bug in a callback',
        origin: 'uncaughtException',
      }),
    );
    expect(result.lines).toContainEqual(
      expect.objectContaining({ msg: 'closing', reason: 'uncaught-error' }),
    );
    expect(messages(result).slice(-2)).toEqual([
      'work finished',
      'stopped after an uncaught error',
    ]);
  });

  it('treats a rejection nobody handled the same way', async () => {
    const result = await run('rejection');
    expect(result.code).toBe(UNCAUGHT_ERROR_EXIT_CODE);
    expect(result.lines).toContainEqual(
      expect.objectContaining({
        level: 'fatal',
        err: 'nobody awaited this',
        origin: 'unhandledRejection',
      }),
    );
    expect(messages(result).slice(-2)).toEqual([
      'work finished',
      'stopped after an uncaught error',
    ]);
  });

  it('stops on SIGTERM with exit 0 after the work in flight', async () => {
    const result = await run('signal', 'SIGTERM');
    expect(result.code).toBe(0);
    expect(result.lines).toContainEqual(
      expect.objectContaining({ msg: 'closing', reason: 'signal' }),
    );
    expect(messages(result).slice(-2)).toEqual(['work finished', 'stopped']);
    expect(result.lines.some((line) => line.level === 'fatal')).toBe(false);
  });

  it('only logs a second uncaught error while it closes', async () => {
    const result = await run('second-error');
    expect(result.code).toBe(UNCAUGHT_ERROR_EXIT_CODE);
    expect(result.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        err: 'second bug',
        msg: 'another uncaught error while stopping',
      }),
    );
    expect(messages(result).slice(-2)).toEqual([
      'work finished',
      'stopped after an uncaught error',
    ]);
  });

  it('exits 1 anyway when closing outlasts its deadline', async () => {
    const result = await run('hanging-close');
    expect(result.code).toBe(UNCAUGHT_ERROR_EXIT_CODE);
    expect(result.lines.at(-1)).toMatchObject({
      level: 'fatal',
      msg: 'did not stop in time after an uncaught error: exiting now',
      deadlineMs: 1_000,
    });
  });
});
