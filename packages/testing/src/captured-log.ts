import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@webhook-inbox/logger';

export interface CapturedLog {
  /** The product's logger (redaction included), at `info`, writing here. */
  readonly log: Logger;
  /** Every line written so far, parsed. */
  readonly lines: Record<string, unknown>[];
  /** Every line written so far, as written. */
  text(): string;
}

/** A logger whose lines a test can read back. */
export function capturedLog(): CapturedLog {
  const written: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written.push(String(chunk));
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return {
    log: createLogger({ name: 'test', level: 'info' }, sink),
    lines,
    text: () => written.join(''),
  };
}
