import { fileURLToPath } from 'node:url';
import { AppProcess } from '@webhook-inbox/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliverer, parseDestination } from '../src/index.ts';
import { LOCAL_HOSTS, message, newSecret } from './local-server.ts';

const RECEIVER = fileURLToPath(new URL('../../../examples/receiver/src/main.ts', import.meta.url));

const running: AppProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((receiver) => receiver.stop()));
});

async function startReceiver(secret: string) {
  const receiver = new AppProcess('receiver', RECEIVER, { RECEIVER_SECRET: secret, PORT: '0' });
  running.push(receiver);
  const [, url] = await receiver.waitForLine(/receiver listening on (http:\/\/\S+)/);
  return { receiver, url: url as string };
}

const linesOf = (receiver: AppProcess, kind: string, id: string) =>
  receiver.lines.filter((line) => line === `${kind} ${id}` || line.startsWith(`${kind} ${id} `));

describe('the example receiver', () => {
  it('verifies each delivery and handles a redelivered one once', async () => {
    const secret = newSecret();
    const { receiver, url } = await startReceiver(secret);
    const destination = parseDestination(
      { name: 'receiver', url, secret, envelope: 'event' },
      LOCAL_HOSTS,
    );
    const deliverer = createDeliverer();
    const event = message();
    const first = await deliverer.deliver(destination, event);
    const again = await deliverer.deliver(destination, event);
    const other = message();
    await deliverer.deliver(destination, other);

    expect([first.kind, again.kind]).toEqual(['delivered', 'delivered']);
    await expect.poll(() => linesOf(receiver, 'event', other.webhookId)).toHaveLength(1);
    expect(linesOf(receiver, 'event', event.webhookId)).toEqual([
      `event ${event.webhookId} payment.succeeded`,
    ]);
    expect(linesOf(receiver, 'duplicate', event.webhookId)).toHaveLength(1);
  });

  it('accepts a rotation signed with its secret among others', async () => {
    const secret = newSecret();
    const { receiver, url } = await startReceiver(secret);
    const destination = parseDestination(
      { name: 'receiver', url, secrets: [newSecret(), secret] },
      LOCAL_HOSTS,
    );
    const event = message();
    expect(await createDeliverer().deliver(destination, event)).toMatchObject({
      kind: 'delivered',
    });
    await expect.poll(() => linesOf(receiver, 'event', event.webhookId)).toHaveLength(1);
  });

  it('refuses a delivery signed with another secret, which the deliverer retries', async () => {
    const { receiver, url } = await startReceiver(newSecret());
    const destination = parseDestination(
      { name: 'receiver', url, secret: newSecret() },
      LOCAL_HOSTS,
    );
    const event = message();
    expect(await createDeliverer().deliver(destination, event)).toMatchObject({
      kind: 'retry',
      attempt: { status: 401 },
    });
    expect(linesOf(receiver, 'event', event.webhookId)).toEqual([]);
  });

  it('stops at start-up with one line when its secret is missing', async () => {
    const receiver = new AppProcess('receiver', RECEIVER, { PORT: '0' });
    running.push(receiver);
    expect(await receiver.exited).toMatchObject({ code: 1 });
    expect(receiver.lines.filter((line) => line !== '')).toEqual([
      "receiver: set RECEIVER_SECRET to the destination's secret (whsec_…, the same value as in the sources file)",
    ]);
  });
});
