/**
 * The most a stored payload may print as on read. jsonb keeps numbers exact, so a small row can
 * print far larger than the body it came from (`1e131071` is 131,072 digits); past a few hundred
 * megabytes node-postgres cannot hold the row as a string and throws inside its socket handler,
 * where no caller can catch it. Postgres measures the printed text, and a longer payload is
 * never sent: the worker fails the event, the dashboard and CLI say why instead of showing it.
 */
export const MAX_PAYLOAD_READ_BYTES = 64 * 1024 * 1024;

export class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError';
  constructor(bytes: number) {
    super(
      `the stored payload prints as ${bytes} bytes, over the ${MAX_PAYLOAD_READ_BYTES}-byte read limit; ` +
        'it cannot be handled: fix or delete the row',
    );
  }
}
