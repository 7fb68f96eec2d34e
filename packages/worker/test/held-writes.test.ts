import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdWritesForThisTurn } from '../src/held-writes.ts';

describe('holdWritesForThisTurn', () => {
  let received: Buffer[];
  let server: ReturnType<typeof createServer>;
  let socket: Socket;

  beforeEach(async () => {
    received = [];
    server = createServer((peer) => peer.on('data', (chunk: Buffer) => received.push(chunk)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    socket = connect(address.port, '127.0.0.1');
    await once(socket, 'connect');
  });

  afterEach(async () => {
    socket.destroy();
    server.close();
    await once(server, 'close');
  });

  async function receivedText(length: number) {
    while (Buffer.concat(received).length < length) await nextTurn();
    return Buffer.concat(received).toString();
  }

  it('keeps what this turn writes in the socket until the next turn, then sends it all', async () => {
    holdWritesForThisTurn(socket);
    socket.write('one;');
    socket.write('two;');
    socket.write('three;');
    expect(socket.writableLength).toBe(14);
    await nextTurn();
    expect(socket.writableCorked).toBe(0);
    expect(await receivedText(14)).toBe('one;two;three;');
  });

  it('holds a socket once, however often it is asked to in a turn', async () => {
    holdWritesForThisTurn(socket);
    holdWritesForThisTurn(socket);
    expect(socket.writableCorked).toBe(1);
    socket.write('once;');
    await nextTurn();
    expect(socket.writableCorked).toBe(0);
    expect(await receivedText(5)).toBe('once;');
  });

  it('leaves a socket alone that has not connected yet', () => {
    expect(() => holdWritesForThisTurn(undefined)).not.toThrow();
  });
});
