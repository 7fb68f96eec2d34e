import { razorpaySignature } from '@webhook-inbox/signing';
import razorpayUtils from 'razorpay/dist/utils/razorpay-utils.js';
import { describe, expect, it } from 'vitest';
import { razorpayBody } from './cases/payments.ts';
import { incoming, verifier } from './support.ts';

const SECRET = 'razorpay_webhook_secret';

/** A delivery as Razorpay would make it, with the signature and body given. */
const delivery = (signature: string, body: Buffer) =>
  incoming({
    headers: {
      'content-type': 'application/json',
      'x-razorpay-signature': signature,
      'x-razorpay-event-id': 'KEwDe6kv2mCs4E',
    },
    body,
    url: '/webhooks/razorpay',
  });

/** Razorpay's SDK verifies, it does not sign: both must give the same verdict on each delivery. */
describe("razorpay agrees with the SDK's validateWebhookSignature", () => {
  const genuine = razorpaySignature(SECRET, razorpayBody);
  const cases: [string, string, Buffer][] = [
    ['genuine', genuine, razorpayBody],
    ['another secret', razorpaySignature('another secret', razorpayBody), razorpayBody],
    ['a tampered body', genuine, Buffer.concat([razorpayBody, Buffer.from(' ')])],
    ['a signature cut short', genuine.slice(0, -2), razorpayBody],
  ];

  it.each(cases)('%s', (_label, signature, body) => {
    const sdk = razorpayUtils.validateWebhookSignature(body.toString('utf8'), signature, SECRET);
    const ours = verifier('razorpay', [SECRET]).verify(delivery(signature, body)).kind === 'event';
    expect(ours).toBe(sdk);
  });

  it('the SDK accepts the genuine delivery (the oracle is not vacuous)', () => {
    expect(
      razorpayUtils.validateWebhookSignature(razorpayBody.toString('utf8'), genuine, SECRET),
    ).toBe(true);
  });
});
