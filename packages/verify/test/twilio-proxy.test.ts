import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { TWILIO_PUBLIC_URL } from './cases/index.ts';
import { incoming } from './support.ts';
import { FORM, TOKEN, twilioVerifier } from './twilio-support.ts';

// A proxy between Twilio and the ingress may re-encode the query string or add or drop the
// default port. Twilio's SDK tries the URL as received, normalised, and with its query
// re-encoded the legacy way; the verifier must accept exactly what the SDK accepts.

const params = { MessageSid: 'SM1', SmsStatus: 'received', Body: 'hi' };
const body = Buffer.from(new URLSearchParams(params).toString());

/** [what happened, URL Twilio requested and signed, path and query the ingress received, accepted]. */
const ROUTES: Array<[string, string, string, boolean]> = [
  ['nothing', `${TWILIO_PUBLIC_URL}/webhooks/twilio?to=main`, '/webhooks/twilio?to=main', true],
  [
    'an escaped quote decoded',
    `${TWILIO_PUBLIC_URL}/webhooks/twilio?name=O%27Brien`,
    "/webhooks/twilio?name=O'Brien",
    true,
  ],
  [
    'a quote escaped',
    `${TWILIO_PUBLIC_URL}/webhooks/twilio?name=O'Brien`,
    '/webhooks/twilio?name=O%27Brien',
    true,
  ],
  [
    'escaped parentheses decoded (no fallback re-escapes them)',
    `${TWILIO_PUBLIC_URL}/webhooks/twilio?tag=%28vip%29%2A`,
    '/webhooks/twilio?tag=(vip)*',
    false,
  ],
  [
    'a space as %20 where Twilio sent +',
    `${TWILIO_PUBLIC_URL}/webhooks/twilio?q=a+b`,
    '/webhooks/twilio?q=a%20b',
    false,
  ],
  [
    'a bare space in the path encoded',
    `${TWILIO_PUBLIC_URL}/webhooks/twilio?note=a%20b`,
    '/webhooks/twilio?note=a%20b',
    true,
  ],
  [
    'the default port added',
    `https://hooks.example.com:443/webhooks/twilio?to=main`,
    '/webhooks/twilio?to=main',
    true,
  ],
  [
    'another query value',
    `${TWILIO_PUBLIC_URL}/webhooks/twilio?to=main`,
    '/webhooks/twilio?to=other',
    false,
  ],
  [
    'another path',
    `${TWILIO_PUBLIC_URL}/webhooks/other?to=main`,
    '/webhooks/twilio?to=main',
    false,
  ],
];

describe('twilio behind a proxy that re-encodes the URL', () => {
  it.each(ROUTES)('%s: accepted as the SDK accepts it', (_what, signedUrl, received, accepted) => {
    const signature = twilio.getExpectedTwilioSignature(TOKEN, signedUrl, params);
    const sdk = twilio.validateRequest(TOKEN, signature, `${TWILIO_PUBLIC_URL}${received}`, params);
    const ours = twilioVerifier().verify(
      incoming({
        headers: { 'content-type': FORM, 'x-twilio-signature': signature },
        body,
        url: received,
      }),
    );
    expect(sdk).toBe(accepted);
    expect(ours.kind).toBe(accepted ? 'event' : 'rejected');
  });
});
