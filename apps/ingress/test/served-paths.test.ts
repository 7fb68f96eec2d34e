import { describe, expect, it } from 'vitest';
import { ServedPaths } from '../src/served-paths.ts';

describe('served paths', () => {
  const served = new ServedPaths();
  served.add({ url: '/webhooks/:source', method: 'POST' });
  served.add({ url: '/healthz', method: ['GET', 'HEAD'] });
  served.add({ url: '/files/*', method: 'get' });

  it.each([
    ['/webhooks/payments', ['POST']],
    ['/webhooks/', ['POST']],
    ['/healthz', ['GET', 'HEAD']],
    ['/files/a/b', ['GET']],
    ['/webhooks/payments/extra', []],
    ['/webhooks', []],
    ['/healthz/', []],
    ['/', []],
  ])('%s takes %j', (path, methods) => {
    expect(served.methodsAt(path)).toEqual(methods);
  });

  it('lists a method only for the paths its route says it serves', () => {
    const handshakes = new ServedPaths();
    handshakes.add({ url: '/webhooks/:source', method: 'POST' });
    handshakes.add({
      url: '/webhooks/:source',
      method: 'GET',
      config: { servesPath: (path: string) => path === '/webhooks/meta' },
    });
    expect(handshakes.methodsAt('/webhooks/meta')).toEqual(['GET', 'POST']);
    expect(handshakes.methodsAt('/webhooks/payments')).toEqual(['POST']);
  });

  it('reads a path literally, not as a pattern', () => {
    const dotted = new ServedPaths();
    dotted.add({ url: '/a.b', method: 'GET' });
    expect(dotted.methodsAt('/a.b')).toEqual(['GET']);
    expect(dotted.methodsAt('/aXb')).toEqual([]);
  });
});
