import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from '../src/output.ts';

/** Whether the text holds a control character other than the newline. */
const hasControlCharacter = (text: string) =>
  [...text].some((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && c !== '\n') || (code >= 0x7f && code <= 0x9f);
  });

/** A stream that says it is a terminal and keeps what is written to it. */
function terminal() {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written.push(String(chunk));
      done();
    },
  });
  return {
    stream: Object.assign(stream, { isTTY: true }) as unknown as NodeJS.WriteStream,
    written,
  };
}

describe('Output on a colour terminal', () => {
  it('keeps its own colours and escapes every control character a sender put in', () => {
    const stdout = terminal();
    const out = new Output(false, false, stdout.stream, terminal().stream);
    const hostile = 'evt\u001b]0;title\u0007\u001b[8mhidden\u009b2J\r';
    out.result(
      null,
      () => `${out.color.red('dead')} ${hostile}\n${out.table(['id'], [[hostile]])}`,
    );
    const text = stdout.written.join('');
    expect(
      text.startsWith('\u001b[31mdead\u001b[39m evt\\x1b]0;title\\x07\\x1b[8mhidden\\x9b2J\\x0d\n'),
    ).toBe(true);
    const ownColours = ['\u001b[31m', '\u001b[39m', '\u001b[1m', '\u001b[22m'];
    const rest = ownColours.reduce((left, code) => left.replaceAll(code, ''), text);
    expect(hasControlCharacter(rest)).toBe(false);
    expect(text).toContain('│ evt\\x1b]0;title\\x07\\x1b[8mhidden\\x9b2J\\x0d │');
  });
});
