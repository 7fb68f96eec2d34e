import { isCredentialHeader, KNOWN_CREDENTIAL_HEADERS } from '@webhook-inbox/credential-headers';
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

/** `destination` is stdout unless given (tests read the lines). */
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
  return destination ? pino(options, destination) : pino(options);
}
