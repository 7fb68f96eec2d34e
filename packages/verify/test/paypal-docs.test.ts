import { createPrivateKey, createSign, createVerify } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { paypalSignature } from '@webhook-inbox/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.ts';
import { CertificateServer } from './certificate-server.ts';
import { fixture, incoming, NOW, reasonOf, secondsFrom } from './support.ts';

const WEBHOOK_ID = '1JE4291016473214C';
const signerKey = createPrivateKey(fixture('x509/signer.key'));
// The fixture certificate is valid from its generation on: the suite's clock is later.
const AT = secondsFrom(NOW, 3 * 365 * 86_400);
const TRANSMISSION_ID = 'd938e770-8046-11e6-8103-6b62a8a99ac4';
const event = JSON.stringify({
  id: 'WH-9UG43882HX7271132-6E0871324L7949614',
  event_type: 'PAYMENT.CAPTURE.COMPLETED',
  resource: { id: '80F85758S3080410K', status: 'COMPLETED' },
});

const server = new CertificateServer();
let certificateUrl = '';
beforeAll(async () => {
  await server.start();
  certificateUrl = server.serve(
    '/v1/notifications/certs/CERT-1',
    fixture('x509/signer.pem').toString(),
  );
});
afterAll(() => server.stop());

/** The CRC32 as the docs compute it, `parseInt("0x" + crc32(event).toString('hex'))`: unsigned. */
function docsCrc(body: string): number {
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  return Number.parseInt(checksum.toString('hex'), 16);
}

/**
 * The self-verification receiver in PayPal's webhook docs (Node.js): the message
 * `${transmissionId}|${timeStamp}|${WEBHOOK_ID}|${crc}`, the certificate downloaded from
 * `paypal-cert-url`, `crypto.createVerify('SHA256')` over the message against the base64
 * `paypal-transmission-sig`.
 */
async function docsReceiverAccepts(
  headers: Record<string, string>,
  body: string,
  webhookId: string,
) {
  const message = `${headers['paypal-transmission-id']}|${headers['paypal-transmission-time']}|${webhookId}|${docsCrc(body)}`;
  const certPem = await (await fetch(headers['paypal-cert-url'] ?? '')).text();
  const signatureBuffer = Buffer.from(headers['paypal-transmission-sig'] ?? '', 'base64');
  const verifier = createVerify('SHA256');
  verifier.update(message);
  return verifier.verify(certPem, signatureBuffer);
}

const headersFor = (signature: string) => ({
  'paypal-transmission-id': TRANSMISSION_ID,
  'paypal-transmission-time': AT.toISOString(),
  'paypal-transmission-sig': signature,
  'paypal-cert-url': certificateUrl,
  'paypal-auth-algo': 'SHA256withRSA',
});

const ours = () =>
  createVerifier(
    'paypal',
    { certificateHostPattern: '^127\\.0\\.0\\.1$', allowLoopbackHttpForTests: true },
    [WEBHOOK_ID],
  );

describe("paypal agrees with the receiver code in PayPal's docs", () => {
  it('the docs receiver accepts what our signer sends, and refuses it for another webhook', async () => {
    const signature = paypalSignature(
      signerKey,
      TRANSMISSION_ID,
      AT.toISOString(),
      WEBHOOK_ID,
      event,
    );
    expect(await docsReceiverAccepts(headersFor(signature), event, WEBHOOK_ID)).toBe(true);
    expect(await docsReceiverAccepts(headersFor(signature), event, 'ANOTHER-WEBHOOK')).toBe(false);
    expect(await docsReceiverAccepts(headersFor(signature), `${event} `, WEBHOOK_ID)).toBe(false);
  });

  it("we accept what the docs' message signs, and refuse it for another webhook", async () => {
    const signed = (webhookId: string) => {
      const signer = createSign('SHA256');
      signer.update(`${TRANSMISSION_ID}|${AT.toISOString()}|${webhookId}|${docsCrc(event)}`);
      return signer.sign(signerKey, 'base64');
    };
    const request = (signature: string) =>
      incoming(
        {
          headers: { 'content-type': 'application/json', ...headersFor(signature) },
          body: Buffer.from(event),
          url: '/webhooks/paypal',
        },
        AT,
      );
    expect(reasonOf(await ours().verify(request(signed(WEBHOOK_ID))))).toBe('event');
    expect(reasonOf(await ours().verify(request(signed('ANOTHER-WEBHOOK'))))).toBe(
      'no_matching_secret',
    );
  });
});
