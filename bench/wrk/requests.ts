import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { signHmacSha256 } from '@webhook-inbox/testing';

/** Pads a payment event to about `size` bytes, as real provider events carry more than an amount. */
export function paymentOfSize(eventId: string, size: number): string {
  const event = {
    id: eventId,
    type: 'payment.succeeded',
    occurred_at: new Date().toISOString(),
    data: { customer_id: `bench_${eventId.length % 100}`, amount: 1, currency: 'INR' },
    metadata: { note: '' },
  };
  const bare = JSON.stringify(event).length;
  event.metadata.note = 'x'.repeat(Math.max(0, size - bare));
  return JSON.stringify(event);
}

/** Writes `count` signed requests for signed-requests.lua, one "<signature>\t<body>" per line. */
export async function writeSignedRequests(
  file: string,
  secret: string,
  bodies: Iterable<string>,
): Promise<void> {
  const out = createWriteStream(file);
  for (const body of bodies) {
    if (!out.write(`${signHmacSha256(body, secret)}\t${body}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
