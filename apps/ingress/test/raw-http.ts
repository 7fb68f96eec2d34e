import { createConnection, type Socket } from 'node:net';

/** What a raw connection saw: everything the server wrote, and when the connection ended. */
export interface RawExchange {
  readonly response: string;
  /** Milliseconds from connecting until the server closed (or reset) the connection. */
  readonly closedAfterMs: number;
  /** Milliseconds from connecting until the server's first byte; undefined when it sent none. */
  readonly answeredAfterMs: number | undefined;
}

/**
 * A client that writes bytes as it likes, for what no HTTP client will send: a body trickled
 * byte by byte, headers that never end, a request line that is not HTTP. Each `drip` is written
 * every `everyMs` until the server closes the connection or `giveUpMs` passes.
 */
export function rawExchange(
  port: number,
  first: string,
  {
    drip,
    everyMs = 100,
    giveUpMs = 15_000,
  }: { drip?: string; everyMs?: number; giveUpMs?: number } = {},
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const startedAt = Date.now();
    const socket: Socket = createConnection({ port, host: '127.0.0.1' });
    let response = '';
    let answeredAfterMs: number | undefined;
    const dripping =
      drip === undefined ? undefined : setInterval(() => socket.write(drip), everyMs);
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answeredAfterMs ??= Date.now() - startedAt;
      response += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(dripping);
      clearTimeout(giveUp);
      resolve({ response, closedAfterMs: Date.now() - startedAt, answeredAfterMs });
    });
    socket.write(first);
  });
}

/** The status line's code and the JSON body of a raw response ({} when there is none). */
export function parseRaw(response: string): { status: number; body: unknown } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
  const at = response.indexOf('\r\n\r\n');
  const text = at < 0 ? '' : response.slice(at + 4);
  return { status, body: text === '' ? {} : JSON.parse(text) };
}
