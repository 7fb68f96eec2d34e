import type { Server, Socket } from 'node:net';

/**
 * One address may hold at most this many connections at once: each is a file descriptor, and a
 * single client opening thousands would starve every other sender of them.
 */
export const DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 256;

/** Closes, at once and unread, a connection beyond `max` from one client address. */
export function limitConnectionsPerClient(server: Server, max: number) {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
