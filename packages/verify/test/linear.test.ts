import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { describe, expect, it } from 'vitest';
import { linearBody } from './cases/index.ts';
import { linearSignature } from './signers.ts';
import { incoming, NOW, reasonOf, secondsFrom, verifier } from './support.ts';

const SECRET = 'lin_wh_current_signing_secret';
const check = (body: Buffer, now = NOW) =>
  verifier('linear', [SECRET]).verify(
    incoming(
      {
        headers: { 'Linear-Signature': linearSignature(SECRET, body), 'Linear-Delivery': 'd-1' },
        body,
        url: '/webhooks/linear',
      },
      now,
    ),
  );

describe('linear', () => {
  it("signs as Linear does: our test signer's output passes LinearWebhookClient, and ours", () => {
    const now = new Date();
    const body = linearBody(now);
    const signature = linearSignature(SECRET, body);
    expect(new LinearWebhookClient(SECRET).verify(body, signature)).toBe(true);
    expect(() => new LinearWebhookClient('another').verify(body, signature)).toThrow();
    expect(check(body, now)).toMatchObject({
      kind: 'event',
      event: { eventId: 'd-1', eventType: 'Issue' },
    });
  });

  it('reads webhookTimestamp in milliseconds, within 60 s', () => {
    expect(check(linearBody(secondsFrom(NOW, -60))).kind).toBe('event');
    expect(reasonOf(check(linearBody(secondsFrom(NOW, -61))))).toBe('stale_timestamp');
    const inSeconds = Buffer.from(
      linearBody(NOW)
        .toString('utf8')
        .replace(
          /"webhookTimestamp": ?\d+/,
          `"webhookTimestamp": ${Math.floor(NOW.getTime() / 1000)}`,
        ),
    );
    expect(reasonOf(check(inSeconds))).toBe('stale_timestamp');
  });

  it('treats a verified body without webhookTimestamp as unsigned in time', () => {
    const body = Buffer.from(
      linearBody(NOW)
        .toString('utf8')
        .replace(/"webhookTimestamp": ?\d+,/, ''),
    );
    expect(reasonOf(check(body))).toBe('malformed_signature');
  });

  it('compares a retry without the webhookTimestamp Linear re-stamps on it', () => {
    const comparableOf = (body: Buffer) => {
      const result = check(body);
      if (result.kind !== 'event') throw new Error(`not accepted: ${reasonOf(result)}`);
      return result.event.comparableSha256;
    };
    const first = comparableOf(linearBody(NOW));
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(comparableOf(linearBody(secondsFrom(NOW, -30)))).toBe(first);
    const changed = Buffer.from(
      linearBody(NOW).toString('utf8').replace('"priority": 2', '"priority": 1'),
    );
    expect(comparableOf(changed)).not.toBe(first);
  });
});
