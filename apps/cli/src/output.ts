import { Presets, SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Everything a command prints goes through here: `--json` prints one JSON document and nothing
 * else; otherwise tables and colours, the colours only on a terminal without NO_COLOR.
 */
export class Output {
  readonly color: Colors;

  constructor(
    readonly json: boolean,
    noColor: boolean,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.color = pc.createColors(!json && !noColor && Boolean(stdout.isTTY));
  }

  /** The command's result: the JSON document, or `human()` for people. */
  result(value: unknown, human: () => string) {
    this.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
  }

  table(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
    const table = new Table({
      head: head.map((title) => this.color.bold(title)),
      style: { head: [], border: [] },
    });
    table.push(...rows.map((row) => row.map(String)));
    return table.toString();
  }

  /** A line for people on stderr, so `--json` output stays parseable. */
  note(text: string) {
    if (!this.json) this.stderr.write(`${text}\n`);
  }

  /** A progress bar on a terminal's stderr; elsewhere nothing. */
  progress(total: number, label: string) {
    if (this.json || !this.stderr.isTTY || total <= 1) return { increment() {}, stop() {} };
    const bar = new SingleBar(
      { format: `${label} {bar} {value}/{total}`, stream: this.stderr, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      increment: (by = 1) => bar.increment(by),
      stop: () => bar.stop(),
    };
  }

  status(ok: boolean | 'warn'): string {
    if (ok === 'warn') return this.color.yellow('warn');
    return ok ? this.color.green('ok') : this.color.red('FAIL');
  }
}

/** A usage or configuration problem: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
