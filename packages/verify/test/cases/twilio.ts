import twilio from 'twilio';
import { fixture, type SignedRequest } from '../support.ts';
import { json, type ProviderCase } from './case.ts';

const smsBody = fixture('twilio-inbound-sms.form');
const streamBody = fixture('twilio-event-stream.json');

export const TWILIO_PUBLIC_URL = 'https://hooks.example.com';
const TWILIO_TOKEN = '9f3c1e2d-5b6a-4c7d-8e9f-0a1b2c3d4e5f';
const TWILIO_STREAM_TOKEN = '4b8e2f10-7c3d-4e5a-9b6c-1d2e3f4a5b6c';

function twilioForm(secret: string, url: string): SignedRequest {
  const params = Object.fromEntries(new URLSearchParams(smsBody.toString('utf8')));
  return {
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(
        secret,
        `${TWILIO_PUBLIC_URL}${url}`,
        params,
      ),
      'I-Twilio-Idempotency-Token': TWILIO_TOKEN,
    },
    body: smsBody,
    url,
  };
}

function twilioJson(secret: string): SignedRequest {
  const url = `/webhooks/twilio?bodySHA256=${twilio.getExpectedBodyHash(streamBody.toString('utf8'))}`;
  return {
    headers: {
      ...json,
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(
        secret,
        `${TWILIO_PUBLIC_URL}${url}`,
        {},
      ),
      'I-Twilio-Idempotency-Token': TWILIO_STREAM_TOKEN,
    },
    body: streamBody,
    url,
  };
}

/** Both signed by Twilio's SDK: a form body, and a JSON body covered by bodySHA256. */
export const TWILIO_CASES: readonly ProviderCase[] = [
  {
    label: 'twilio (form)',
    provider: 'twilio',
    options: { publicUrl: TWILIO_PUBLIC_URL },
    secret: '12345678901234567890123456789012',
    otherSecret: 'abcdefabcdefabcdefabcdefabcdefab',
    sign: async (secret) => twilioForm(secret, '/webhooks/twilio?account=main'),
    signatureHeader: 'X-Twilio-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: TWILIO_TOKEN, eventType: 'message.received' },
    unsignedIdHeader: 'I-Twilio-Idempotency-Token',
    signsDecodedForm: true,
  },
  {
    label: 'twilio (JSON, bodySHA256)',
    provider: 'twilio',
    options: { publicUrl: TWILIO_PUBLIC_URL },
    secret: '12345678901234567890123456789012',
    otherSecret: 'abcdefabcdefabcdefabcdefabcdefab',
    sign: async (secret) => twilioJson(secret),
    signatureHeader: 'X-Twilio-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: TWILIO_STREAM_TOKEN, eventType: 'com.twilio.messaging.message.delivered' },
    unsignedIdHeader: 'I-Twilio-Idempotency-Token',
  },
];
