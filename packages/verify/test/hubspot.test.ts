import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { signSample } from '../src/index.ts';
import { incoming, reasonOf, verifier } from './support.ts';

const SECRET = 'hubspot-app-client-secret';
const PUBLIC_URL = 'https://hooks.example.com';
const source = {
  name: 'hubspot',
  provider: 'hubspot',
  secret: SECRET,
  options: { publicUrl: PUBLIC_URL },
};

interface Delivery {
  readonly path: string;
  readonly body: string;
  readonly timestamp: number;
  readonly signature: string;
}

/** The SDK's v3 check, given the full URI HubSpot requested. It reads the clock itself. */
const sdkAccepts = (d: Delivery) => {
  try {
    return Signature.isValid({
      signatureVersion: 'v3',
      method: 'POST',
      url: `${PUBLIC_URL}${d.path}`,
      requestBody: d.body,
      timestamp: d.timestamp,
      signature: d.signature,
      clientSecret: SECRET,
    });
  } catch {
    // A timestamp past its window throws rather than answering false.
    return false;
  }
};

const oursAccepts = (d: Delivery) =>
  verifier('hubspot', [SECRET], { publicUrl: PUBLIC_URL }).verify(
    incoming(
      {
        headers: {
          'content-type': 'application/json',
          'x-hubspot-request-timestamp': String(d.timestamp),
          'x-hubspot-signature-v3': d.signature,
        },
        body: Buffer.from(d.body),
        url: d.path,
      },
      new Date(),
    ),
  );

/** What HubSpot sends: the SDK's own v3 signature over the URI, body and timestamp. */
function sdkSigned(
  body: string,
  { path = '/webhooks/hubspot', timestamp = Date.now(), secret = SECRET } = {},
): Delivery {
  const signature = Signature.getSignature('POST', 'v3', {
    url: `${PUBLIC_URL}${path}`,
    requestBody: body,
    timestamp,
    clientSecret: secret,
    signature: '',
  });
  return { path, body, timestamp, signature };
}

const body = JSON.stringify([
  {
    eventId: 100,
    subscriptionId: 2114009,
    portalId: 62515,
    occurredAt: 1780315199000,
    subscriptionType: 'contact.creation',
    attemptNumber: 0,
    objectId: 123,
  },
]);

describe("hubspot agrees with @hubspot/api-client's Signature (v3)", () => {
  it("the SDK's isValid accepts what our signer sends", () => {
    const signed = signSample(source, { id: '7' }, new Date());
    if (!signed.ok) throw new Error(signed.error);
    const { headers, path, body: sent } = signed.request;
    const delivery = {
      path,
      body: sent,
      timestamp: Number(headers['X-HubSpot-Request-Timestamp']),
      signature: headers['X-HubSpot-Signature-v3'] ?? '',
    };
    expect(sdkAccepts(delivery)).toBe(true);
    expect(oursAccepts(delivery)).toMatchObject({
      kind: 'event',
      event: { eventId: '7', eventType: 'contact.creation' },
    });
  });

  it('we accept what the SDK signs, with a query string in the URI', () => {
    const delivery = sdkSigned(body, { path: '/webhooks/hubspot?portal=62515' });
    expect(sdkAccepts(delivery)).toBe(true);
    expect(oursAccepts(delivery)).toMatchObject({ kind: 'event', event: { eventId: '100' } });
  });

  const genuine = () => sdkSigned(body);
  const cases: [string, () => Delivery][] = [
    ['another secret', () => sdkSigned(body, { secret: 'hubspot-previous-client-secret' })],
    ['a tampered body', () => ({ ...genuine(), body: `${body} ` })],
    ['another path', () => ({ ...genuine(), path: '/webhooks/other' })],
    [
      'a timestamp older than five minutes',
      () => sdkSigned(body, { timestamp: Date.now() - 301_000 }),
    ],
    [
      'a signature cut short',
      () => ({ ...genuine(), signature: genuine().signature.slice(0, -4) }),
    ],
  ];

  it.each(cases)('both refuse %s', (_label, make) => {
    const delivery = make();
    expect(sdkAccepts(delivery)).toBe(false);
    expect(reasonOf(oursAccepts(delivery))).not.toBe('event');
  });
});
