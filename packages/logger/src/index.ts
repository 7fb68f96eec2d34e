import { type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger };

// Anything that can carry a credential is censored wherever it appears in a log line, so a
// careless `log.info({ headers })` cannot leak a secret or a full signature.
const REDACTED_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-signature',
  'x-hub-signature',
  'x-hub-signature-256',
  'stripe-signature',
  'webhook-signature',
  'svix-signature',
  'x-shopify-hmac-sha256',
  'shopify-hmac-sha256',
  'x-slack-signature',
  'x-twilio-signature',
  'paddle-signature',
  'linear-signature',
  'x-signature-sha256',
  'x-square-hmacsha256-signature',
];

const redactPaths = [
  ...REDACTED_HEADERS.flatMap((h) => [`headers["${h}"]`, `req.headers["${h}"]`]),
  'secret',
  'secrets',
  '*.secret',
  '*.secrets',
];

export interface LoggerOptions {
  level: LevelWithSilent;
  name: string;
}

export function createLogger({ level, name }: LoggerOptions): Logger {
  return pino({
    name,
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
