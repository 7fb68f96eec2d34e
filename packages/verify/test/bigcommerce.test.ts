import { bigcommerceSignature } from '@webhook-inbox/signing';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signSample } from '../src/index.ts';
import { bigcommerceBody } from './cases/content-platforms.ts';
import { incoming, NOW, reasonOf, unixSeconds, verifier } from './support.ts';

const CLIENT_SECRET = 'bigcommerce-app-client-secret';
const ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';

/**
 * BigCommerce's docs verify with the Standard Webhooks library, handing it the client secret
 * base64-encoded: that library, so configured, is the oracle both ways.
 */
const oracle = new Webhook(Buffer.from(CLIENT_SECRET).toString('base64'));
const bigcommerce = verifier('bigcommerce', [CLIENT_SECRET]);

const headersFor = (signature: string, at = NOW) => ({
  'content-type': 'application/json',
  'webhook-id': ID,
  'webhook-timestamp': String(unixSeconds(at)),
  'webhook-signature': signature,
});

describe('bigcommerce', () => {
  it("signs as the library BigCommerce's docs use, and accepts what it signs", () => {
    const body = bigcommerceBody.toString('utf8');
    const ours = bigcommerceSignature(CLIENT_SECRET, ID, unixSeconds(NOW), body);
    expect(ours).toBe(oracle.sign(ID, NOW, body));
    const result = bigcommerce.verify(
      incoming({
        headers: headersFor(oracle.sign(ID, NOW, body)),
        body: bigcommerceBody,
        url: '/',
      }),
    );
    expect(result).toMatchObject({
      kind: 'event',
      event: { eventId: ID, eventType: 'store/order/statusUpdated' },
    });
  });

  it('makes a sample the library accepts', () => {
    const sample = signSample(
      { name: 'store', provider: 'bigcommerce', secret: CLIENT_SECRET },
      { id: ID, type: 'store/product/updated' },
      new Date(),
    );
    if (!sample.ok) throw new Error(sample.error);
    const { headers, body } = sample.request;
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(oracle.verify(body, lower)).toMatchObject({ scope: 'store/product/updated' });
  });

  it('refuses a whsec_ secret the spec would decode: the client secret is used as text', () => {
    const body = bigcommerceBody.toString('utf8');
    const standard = new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    const request = incoming({
      headers: headersFor(standard.sign(ID, NOW, body)),
      body: bigcommerceBody,
      url: '/',
    });
    expect(
      reasonOf(verifier('bigcommerce', ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']).verify(request)),
    ).toBe('no_matching_secret');
  });

  it('refuses a body without a scope, once verified', () => {
    const body = Buffer.from(JSON.stringify({ data: { type: 'order', id: 1 } }));
    const signature = bigcommerceSignature(CLIENT_SECRET, ID, unixSeconds(NOW), body);
    const result = bigcommerce.verify(incoming({ headers: headersFor(signature), body, url: '/' }));
    expect(reasonOf(result)).toBe('malformed_body');
  });
});
