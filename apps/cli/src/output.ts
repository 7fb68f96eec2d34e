import { Presets, SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

const ESC = String.fromCharCode(0x1b);
/** Every C0 and C1 control character but the newline, and DEL. */
const CONTROL = '[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]';
/** The SGR codes of the colours this CLI uses (picocolors: bold, dim, red, green, yellow, cyan). */
const OWN_COLOR = `${ESC}\\[(?:1|2|22|31|32|33|36|39)m`;
const CONTROL_CHARACTERS = new RegExp(CONTROL, 'g');
const CONTROL_CHARACTERS_BUT_OWN_COLORS = new RegExp(`(${OWN_COLOR})|${CONTROL}`, 'g');

/**
 * Text safe to put on a terminal: event IDs, types, payloads and errors come from senders, and a
 * raw ESC or BEL in them could retitle the window, clear the screen or write the clipboard
 * (OSC 52). Each control character is shown as `\xNN` instead; with `keepColors`, the colour
 * codes this CLI writes itself are left alone (a sender can at most colour text, never hide it).
 */
export function printable(text: string, keepColors: boolean): string {
  const hex = (character: string) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
  return keepColors
    ? text.replace(CONTROL_CHARACTERS_BUT_OWN_COLORS, (match, own?: string) => own ?? hex(match))
    : text.replace(CONTROL_CHARACTERS, hex);
}

/**
 * Everything a command prints goes through here: `--json` prints one JSON document and nothing
 * else; otherwise tables and colours, the colours only on a terminal without NO_COLOR.
 */
export class Output {
  readonly color: Colors;
  private readonly colorsOn: boolean;

  constructor(
    readonly json: boolean,
    noColor: boolean,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.colorsOn = !json && !noColor && Boolean(stdout.isTTY);
    this.color = pc.createColors(this.colorsOn);
  }

  private printable(text: string): string {
    return printable(text, this.colorsOn);
  }

  /** The command's result: the JSON document, or `human()` for people, made `printable`. */
  result(value: unknown, human: () => string) {
    this.stdout.write(
      this.json ? `${JSON.stringify(value, null, 2)}\n` : `${this.printable(human())}\n`,
    );
  }

  table(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
    const table = new Table({
      head: head.map((title) => this.color.bold(title)),
      style: { head: [], border: [] },
    });
    // Escaped before layout too, so the columns are measured on what the terminal shows.
    table.push(...rows.map((row) => row.map((cell) => this.printable(String(cell)))));
    return table.toString();
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
