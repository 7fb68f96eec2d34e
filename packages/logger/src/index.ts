import { isCredentialHeader, KNOWN_CREDENTIAL_HEADERS } from '@webhook-inbox/verify';
import {
  type DestinationStream,
  type LevelWithSilent,
  type Logger,
  type LoggerOptions as LoggerOptionsOfPino,
  pino,
} from 'pino';

export type { Logger };

// Anything that can carry a credential is censored wherever it appears in a log line, so a
// careless `log.info({ headers })` cannot leak a secret or a full signature: the known names by
// path, and any other header named like a credential by the shared rule.
const CENSOR = '[redacted]';

function censoredHeaders(headers: unknown): unknown {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return headers;
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      isCredentialHeader(name) ? CENSOR : value,
    ]),
  );
}

const redactPaths = [
  ...KNOWN_CREDENTIAL_HEADERS.flatMap((h) => [`headers["${h}"]`, `req.headers["${h}"]`]),
  'secret',
  'secrets',
  '*.secret',
  '*.secrets',
];

export interface LoggerOptions {
  level: LevelWithSilent;
  name: string;
}

/**
 * Lines are written to stdout asynchronously from a buffer, so a slow terminal or log shipper
 * never blocks a request: the buffer is written when it holds 4 KiB or every 250 ms, and in
 * full, synchronously, when the process exits (pino flushes on `exit`). It is bounded: past
 * 16 MiB waiting, new lines are dropped and counted, never held. What a SIGKILL loses is at
 * most the last 250 ms of lines.
 */
const STDOUT_BUFFER = { minLength: 4_096, periodicFlushMs: 250, maxLength: 16 * 1024 * 1024 };
const DROPPED_REPORT_EVERY_MS = 10_000;

function bufferedStdout(): { stream: DestinationStream; reportDrops: (log: Logger) => void } {
  const stream = pino.destination({
    dest: 1,
    sync: false,
    minLength: STDOUT_BUFFER.minLength,
    periodicFlush: STDOUT_BUFFER.periodicFlushMs,
    maxLength: STDOUT_BUFFER.maxLength,
  });
  let dropped = 0;
  stream.on('drop', () => {
    dropped += 1;
  });
  return {
    stream,
    reportDrops(log) {
      setInterval(() => {
        if (dropped === 0) return;
        log.warn({ dropped }, 'log lines dropped: stdout did not keep up');
        dropped = 0;
      }, DROPPED_REPORT_EVERY_MS).unref();
    },
  };
}

/** `destination` is buffered stdout unless given (tests read the lines). */
export function createLogger(
  { level, name }: LoggerOptions,
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptionsOfPino = {
    name,
    level,
    redact: { paths: redactPaths, censor: CENSOR },
    formatters: {
      log: (object: Record<string, unknown>) =>
        'headers' in object ? { ...object, headers: censoredHeaders(object.headers) } : object,
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);
  const stdout = bufferedStdout();
  const log = pino(options, stdout.stream);
  stdout.reportDrops(log);
  return log;
}
