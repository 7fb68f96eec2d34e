import { createServer } from 'node:net';

/**
 * A port nothing listens on right now: one the system just handed out and took back, for a
 * process under test to listen on, or for a client to find closed.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
