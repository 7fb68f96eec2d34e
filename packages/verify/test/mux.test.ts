import Mux from '@mux/mux-node';
import { muxSignature } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { muxBody } from './cases/presets.ts';
import { incoming, unixSeconds, verifier } from './support.ts';

const SECRET = 'mux_webhook_signing_secret';
const mux = new Mux({ tokenId: 'oracle', tokenSecret: 'oracle' });

/** The SDK's own verdict: it throws on anything it refuses. */
const sdkAccepts = (header: string, body: Buffer) =>
  mux.webhooks.verifySignature(body.toString('utf8'), { 'mux-signature': header }, SECRET).then(
    () => true,
    () => false,
  );

const oursAccepts = async (header: string, body: Buffer, now: Date) => {
  const request = incoming(
    {
      headers: { 'content-type': 'application/json', 'Mux-Signature': header },
      body,
      url: '/webhooks/mux',
    },
    now,
  );
  return (await verifier('mux', [SECRET]).verify(request)).kind === 'event';
};

/**
 * Mux's SDK verifies and does not sign (its HMAC is private), and it reads the clock itself:
 * both judge the same deliveries, made now, and must give the same verdict on each.
 */
describe("mux agrees with @mux/mux-node's verifySignature", () => {
  const now = new Date();
  const t = unixSeconds(now);
  const genuine = muxSignature(SECRET, t, muxBody);
  const v1 = genuine.split('v1=')[1] ?? '';
  const cases: [string, string, Buffer, boolean][] = [
    ['genuine', genuine, muxBody, true],
    [
      'rotated: another secret first, then ours',
      `t=${t},v1=${'0'.repeat(64)},v1=${v1}`,
      muxBody,
      true,
    ],
    ['another secret', muxSignature('another secret', t, muxBody), muxBody, false],
    ['a tampered body', genuine, Buffer.concat([muxBody, Buffer.from(' ')]), false],
    ['a signature cut short', `t=${t},v1=${v1.slice(0, -2)}`, muxBody, false],
    ['a timestamp changed', `t=${t - 1},v1=${v1}`, muxBody, false],
    ['ten minutes old', muxSignature(SECRET, t - 600, muxBody), muxBody, false],
    ['no timestamp', `v1=${v1}`, muxBody, false],
  ];

  it.each(cases)('%s', async (_label, header, body, accepted) => {
    expect(await sdkAccepts(header, body)).toBe(accepted);
    expect(await oursAccepts(header, body, now)).toBe(accepted);
  });
});
