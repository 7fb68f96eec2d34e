import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { paypalSignature } from '@webhook-inbox/signing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.ts';
import { CertificateServer } from './certificate-server.ts';
import { fixture, incoming, NOW, reasonOf, secondsFrom } from './support.ts';

const WEBHOOK_ID = '1JE4291016473214C';
const signerKey = createPrivateKey(fixture('x509/signer.key'));
// The fixture certificate is valid from its generation on: the suite's clock is later.
const AT = secondsFrom(NOW, 3 * 365 * 86_400);
const body = Buffer.from(
  JSON.stringify({
    id: 'WH-9UG43882HX7271132-6E0871324L7949614',
    event_type: 'PAYMENT.CAPTURE.COMPLETED',
    resource_type: 'capture',
    resource: { id: '80F85758S3080410K', status: 'COMPLETED' },
  }),
);

const server = new CertificateServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => server.reset());

const LOCAL = { certificateHostPattern: '^127\\.0\\.0\\.1$', allowLoopbackHttpForTests: true };
const paypal = (options: Record<string, unknown> = {}, ids = [WEBHOOK_ID]) =>
  createVerifier('paypal', { ...LOCAL, ...options }, ids);

interface Sent {
  key?: ReturnType<typeof createPrivateKey>;
  certificateUrl?: string;
  webhookId?: string;
  payload?: Buffer;
  headers?: Record<string, string>;
  at?: Date;
}

function delivery(sent: Sent = {}) {
  const payload = sent.payload ?? body;
  const time = (sent.at ?? AT).toISOString();
  const id = 'd938e770-8046-11e6-8103-6b62a8a99ac4';
  const key = sent.key ?? signerKey;
  return incoming(
    {
      headers: {
        'Content-Type': 'application/json',
        'PAYPAL-TRANSMISSION-ID': id,
        'PAYPAL-TRANSMISSION-TIME': time,
        'PAYPAL-TRANSMISSION-SIG': paypalSignature(
          key,
          id,
          time,
          sent.webhookId ?? WEBHOOK_ID,
          payload,
        ),
        'PAYPAL-CERT-URL':
          sent.certificateUrl ??
          server.serve('/v1/notifications/certs/CERT-1', fixture('x509/signer.pem').toString()),
        'PAYPAL-AUTH-ALGO': 'SHA256withRSA',
        ...sent.headers,
      },
      body: sent.payload ?? body,
      url: '/webhooks/paypal',
    },
    AT,
  );
}

describe('paypal', () => {
  it('verifies a transmission, named by the body id and event_type, keyed by what is signed', async () => {
    const verifier = paypal();
    const result = await verifier.verify(delivery());
    expect(result).toMatchObject({
      kind: 'event',
      event: {
        eventId: 'WH-9UG43882HX7271132-6E0871324L7949614',
        eventType: 'PAYMENT.CAPTURE.COMPLETED',
        body: body.toString(),
      },
    });
    expect(result.kind === 'event' && result.event.signedContentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(reasonOf(await verifier.verify(delivery()))).toBe('event');
    expect(server.requests).toEqual(['/v1/notifications/certs/CERT-1']);
    expect(verifier.credentialHeaders).toEqual(['paypal-transmission-sig']);
  });

  it('accepts any of several webhook IDs (the secrets), and no other', async () => {
    const both = paypal({}, ['OTHER', WEBHOOK_ID]);
    expect(reasonOf(await both.verify(delivery()))).toBe('event');
    expect(reasonOf(await paypal({}, ['OTHER']).verify(delivery()))).toBe('no_matching_secret');
  });

  it('refuses another body, another key, a truncated signature', async () => {
    const verifier = paypal();
    const other = Buffer.from(body.toString().replace('COMPLETED"', 'DENIED"'));
    const signedOther = delivery({ payload: other });
    const changed = { ...delivery(), rawBody: other };
    expect(reasonOf(await verifier.verify(changed))).toBe('no_matching_secret');
    expect(reasonOf(await verifier.verify(signedOther))).toBe('event');
    const impostor = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(reasonOf(await verifier.verify(delivery({ key: impostor })))).toBe('no_matching_secret');
    const signature = String(delivery().headers['paypal-transmission-sig']);
    const truncated = delivery({ headers: { 'PAYPAL-TRANSMISSION-SIG': signature.slice(0, 200) } });
    expect(reasonOf(await verifier.verify(truncated))).toBe('no_matching_secret');
  });

  it('refuses unreadable headers, another algorithm and a certificate URL off the list, with no fetch', async () => {
    const verifier = paypal();
    for (const [headers, reason] of [
      [{ 'PAYPAL-TRANSMISSION-SIG': '' }, 'missing_signature'],
      [{ 'PAYPAL-TRANSMISSION-SIG': 'not base64!' }, 'malformed_signature'],
      [{ 'PAYPAL-AUTH-ALGO': 'SHA1withRSA' }, 'malformed_signature'],
      [{ 'PAYPAL-TRANSMISSION-ID': 'a|b' }, 'malformed_signature'],
    ] as const) {
      expect(reasonOf(await verifier.verify(delivery({ headers })))).toBe(reason);
    }
    for (const url of [
      'https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1',
      'http://api.paypal.com/v1/notifications/certs/CERT-1',
    ]) {
      const strict = createVerifier('paypal', {}, [WEBHOOK_ID]);
      expect(reasonOf(await strict.verify(delivery({ certificateUrl: url })))).toBe(
        'malformed_signature',
      );
    }
    const strict = createVerifier('paypal', { allowLoopbackHttpForTests: true }, [WEBHOOK_ID]);
    expect(reasonOf(await strict.verify(delivery()))).toBe('malformed_signature');
    expect(server.requests).toEqual([]);
  });

  it('refuses a certificate of the wrong key type, one not answered in time, and a stale time when asked', async () => {
    const ecUrl = server.serve('/v1/notifications/certs/EC', fixture('x509/ec.pem').toString());
    expect(await paypal().verify(delivery({ certificateUrl: ecUrl }))).toMatchObject({
      detail: 'signing certificate unavailable: the certificate holds no RSA key',
    });
    server.behaviour = 'slow';
    expect(await paypal({ certificateFetchTimeoutMs: 100 }).verify(delivery())).toMatchObject({
      reason: 'keys_unavailable',
      detail: 'signing certificate unavailable: the key endpoint did not answer within 100 ms',
    });
    server.reset();
    const old = delivery({ at: secondsFrom(AT, -601) });
    expect(reasonOf(await paypal().verify(old))).toBe('event');
    expect(reasonOf(await paypal({ toleranceSeconds: 600 }).verify(old))).toBe('stale_timestamp');
  });
});
