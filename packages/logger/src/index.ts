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
// careless `log.info({ headers })` cannot leak a secret or a full signature: every header named
// like a credential (the shared rule, which knows every provider's names) under `headers` or
// `req.headers`, and `secret`/`secrets` at the top level or one level down. A line's fields get
// one pass over their own keys; pino's `redact` keeps only exact paths, which cost next to
// nothing and also cover a child logger's bindings (which no formatter sees), because its
// wildcard paths (`*.secret`) cost 40% of a line.
const CENSOR = '[redacted]';
const SECRET_KEYS = ['secret', 'secrets'];

type Fields = Record<string, unknown>;

function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function censoredHeaders(headers: Fields): Fields {
  const censored: Fields = {};
  for (const name of Object.keys(headers)) {
    censored[name] = isCredentialHeader(name) ? CENSOR : headers[name];
  }
  return censored;
}

function withoutSecrets(value: Fields): Fields {
  if (!SECRET_KEYS.some((key) => key in value)) return value;
  const censored = { ...value };
  for (const key of SECRET_KEYS) if (key in censored) censored[key] = CENSOR;
  return censored;
}

const redactPaths = [
  ...KNOWN_CREDENTIAL_HEADERS.flatMap((h) => [`headers["${h}"]`, `req.headers["${h}"]`]),
  ...SECRET_KEYS,
];

/** The line's fields, copied only where something had to be censored. */
function censorFields(fields: Fields): Fields {
  let censored = fields;
  const replace = (key: string, value: unknown) => {
    if (value === fields[key]) return;
    if (censored === fields) censored = { ...fields };
    censored[key] = value;
  };
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (SECRET_KEYS.includes(key)) replace(key, CENSOR);
    else if (!isPlainObject(value)) continue;
    else if (key === 'headers') replace(key, censoredHeaders(value));
    else if (key === 'req' && isPlainObject(value.headers)) {
      replace(key, withoutSecrets({ ...value, headers: censoredHeaders(value.headers) }));
    } else replace(key, withoutSecrets(value));
  }
  return censored;
}

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
    formatters: { log: censorFields },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination);
  const stdout = bufferedStdout();
  const log = pino(options, stdout.stream);
  stdout.reportDrops(log);
  return log;
}
