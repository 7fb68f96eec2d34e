import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createVerifier } from '../src/index.ts';
import { TWILIO_PUBLIC_URL } from './cases/index.ts';
import { fixture, incoming, reasonOf, verifier } from './support.ts';
import { FORM, formRequest, PATH, TOKEN, twilioVerifier } from './twilio-support.ts';

const sms = fixture('twilio-inbound-sms.form');
const stream = fixture('twilio-event-stream.json');

describe('twilio: what is signed', () => {
  it("accepts what Twilio's SDK signs, and the SDK's own validator agrees", () => {
    const params = Object.fromEntries(new URLSearchParams(sms.toString('utf8')));
    const url = `${TWILIO_PUBLIC_URL}${PATH}`;
    const signature = twilio.getExpectedTwilioSignature(TOKEN, url, params);
    expect(twilio.validateRequest(TOKEN, signature, url, params)).toBe(true);
    const request = incoming({
      headers: { 'content-type': FORM, 'x-twilio-signature': signature },
      body: sms,
      url: PATH,
    });
    expect(twilioVerifier().verify(request).kind).toBe('event');
  });

  it('stores a form body as a JSON object of its decoded parameters', () => {
    const params = Object.fromEntries(new URLSearchParams(sms.toString('utf8')));
    const request = incoming({
      headers: {
        'content-type': FORM,
        'x-twilio-signature': twilio.getExpectedTwilioSignature(
          TOKEN,
          `${TWILIO_PUBLIC_URL}${PATH}`,
          params,
        ),
      },
      body: sms,
      url: PATH,
    });
    const result = twilioVerifier().verify(request);
    if (result.kind !== 'event') throw new Error(`expected an event, got ${result.kind}`);
    expect(JSON.parse(result.event.body)).toEqual(params);
    expect(JSON.parse(result.event.body).Body).toBe('Café at 9? 👍');
  });

  it('signs repeated parameters as Twilio does, and stores them as an array', () => {
    const result = twilioVerifier().verify(
      formRequest({ MessageSid: 'SM1', MediaUrl: ['https://b', 'https://a', 'https://b'] }),
    );
    if (result.kind !== 'event') throw new Error(`expected an event, got ${result.kind}`);
    expect(JSON.parse(result.event.body).MediaUrl).toEqual(['https://b', 'https://a', 'https://b']);
  });

  it('accepts the URL signed with or without the default port', () => {
    const withPort = formRequest(
      { CallSid: 'CA1' },
      { signedUrl: `https://hooks.example.com:443${PATH}` },
    );
    expect(twilioVerifier().verify(withPort).kind).toBe('event');
  });

  it('puts a configured path prefix before the path received', () => {
    const prefixed = verifier('twilio', [TOKEN], { publicUrl: 'https://edge.example.com/inbox/' });
    const request = formRequest(
      { CallSid: 'CA1' },
      { signedUrl: `https://edge.example.com/inbox${PATH}` },
    );
    expect(prefixed.verify(request).kind).toBe('event');
  });

  it('rejects a request signed for another URL', () => {
    const elsewhere = formRequest(
      { CallSid: 'CA1' },
      { signedUrl: `https://attacker.example${PATH}` },
    );
    expect(reasonOf(twilioVerifier().verify(elsewhere))).toBe('no_matching_secret');
  });

  it('verifies a JSON body through bodySHA256, and rejects one without it', () => {
    const hash = twilio.getExpectedBodyHash(stream.toString('utf8'));
    const path = `/webhooks/twilio?bodySHA256=${hash}`;
    const signature = twilio.getExpectedTwilioSignature(TOKEN, `${TWILIO_PUBLIC_URL}${path}`, {});
    expect(
      twilio.validateRequestWithBody(
        TOKEN,
        signature,
        `${TWILIO_PUBLIC_URL}${path}`,
        stream.toString('utf8'),
      ),
    ).toBe(true);
    const json = { 'content-type': 'application/json', 'x-twilio-signature': signature };
    expect(twilioVerifier().verify(incoming({ headers: json, body: stream, url: path })).kind).toBe(
      'event',
    );

    const swapped = Buffer.from(stream.toString('utf8').replace('DELIVERED', 'FAILED'));
    expect(
      reasonOf(twilioVerifier().verify(incoming({ headers: json, body: swapped, url: path }))),
    ).toBe('no_matching_secret');
    expect(
      reasonOf(
        twilioVerifier().verify(incoming({ headers: json, body: stream, url: '/webhooks/twilio' })),
      ),
    ).toBe('missing_signature');
  });

  it('answers 400 for a verified form whose escapes are not UTF-8', () => {
    const params = { MessageSid: 'SM1', Body: '\uFFFD' };
    const signature = twilio.getExpectedTwilioSignature(
      TOKEN,
      `${TWILIO_PUBLIC_URL}${PATH}`,
      params,
    );
    const request = incoming({
      headers: { 'content-type': FORM, 'x-twilio-signature': signature },
      body: Buffer.from('MessageSid=SM1&Body=%FF'),
      url: PATH,
    });
    expect(twilioVerifier().verify(request)).toMatchObject({
      kind: 'rejected',
      reason: 'malformed_body',
    });
  });

  it('accepts forms and JSON only', () => {
    const v = twilioVerifier();
    expect(v.acceptsContentType('application/x-www-form-urlencoded; charset=UTF-8')).toBe(true);
    expect(v.acceptsContentType('application/json')).toBe(true);
    expect(v.acceptsContentType('multipart/form-data')).toBe(false);
  });

  it('needs its public URL, without a query string', () => {
    expect(() => createVerifier('twilio', {}, [TOKEN])).toThrow(/publicUrl/);
    expect(() =>
      createVerifier('twilio', { publicUrl: 'https://a.example/?x=1' }, [TOKEN]),
    ).toThrow(/query/);
    expect(() => createVerifier('twilio', { publicUrl: 'hooks.example.com' }, [TOKEN])).toThrow(
      z.ZodError,
    );
  });
});
