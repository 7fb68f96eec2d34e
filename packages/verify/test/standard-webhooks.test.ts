import { Resend } from 'resend';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.ts';
import { standardWebhooksSignature } from './signers.ts';
import { fixture, incoming, NOW, reasonOf, unixSeconds, verifier } from './support.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_c2VjcmV0LW9mLWEtcm90YXRlZC1lbmRwb2ludA==';
const resendBody = fixture('resend-email.delivered.json');
const clerkBody = fixture('clerk-user.created.json');

function request(headers: Record<string, string>, body: Buffer | string, now = NOW) {
  return incoming({ headers, body: Buffer.from(body), url: '/webhooks/resend' }, now);
}

describe('standard-webhooks', () => {
  const specExample = (options?: Record<string, unknown>) =>
    verifier('standard-webhooks', [SECRET], options).verify(
      request(
        {
          'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
          'webhook-timestamp': '1614265330',
          'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
        },
        '{"test": 2432232314}',
        new Date(1614265330 * 1000),
      ),
    );

  it("accepts the spec's published example, whose body has no type, as the libraries do", () => {
    expect(specExample()).toMatchObject({
      kind: 'event',
      event: { eventId: 'msg_p5jXN8AQM9LWM0D4loKWxJek', eventType: 'standard-webhooks' },
    });
  });

  it('reads the type from typeField, or takes one fixed eventType', () => {
    const body = '{"id":"p_1","status":"succeeded","type":"ignored"}';
    const id = 'msg_replicate_1';
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(unixSeconds(NOW)),
      'webhook-signature': standardWebhooksSignature(SECRET, id, unixSeconds(NOW), body),
    };
    const typeOf = (options: Record<string, unknown>) => {
      const result = verifier('standard-webhooks', [SECRET], options).verify(
        request(headers, body),
      );
      return result.kind === 'event' ? result.event.eventType : reasonOf(result);
    };
    expect(typeOf({ typeField: 'status' })).toBe('succeeded');
    expect(typeOf({ typeField: 'missing.path' })).toBe('standard-webhooks');
    expect(typeOf({ eventType: 'prediction' })).toBe('prediction');
    expect(() =>
      createVerifier('standard-webhooks', { typeField: 'status', eventType: 'x' }, [SECRET]),
    ).toThrow(/use typeField or eventType, not both/);
  });

  it("signs as the SDKs do: our test signer's output passes Resend's, Svix's and the spec library's verifiers, and ours", () => {
    const now = new Date();
    const id = 'msg_2rYbVgYXDmMQP9TAhnDGTszRwXu';
    const timestamp = String(unixSeconds(now));
    const signature = standardWebhooksSignature(SECRET, id, unixSeconds(now), resendBody);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': signature,
    };
    const payload = resendBody.toString('utf8');
    expect(
      new Resend('re_test_oracle').webhooks.verify({
        payload,
        headers: { id, timestamp, signature },
        webhookSecret: SECRET,
      }),
    ).toMatchObject({ type: 'email.delivered' });
    expect(new SvixWebhook(SECRET).verify(payload, headers)).toMatchObject({
      type: 'email.delivered',
    });
    expect(new StandardWebhook(SECRET).verify(payload, headers)).toMatchObject({
      type: 'email.delivered',
    });
    expect(
      verifier('standard-webhooks', [SECRET]).verify(request(headers, resendBody, now)),
    ).toMatchObject({
      kind: 'event',
      event: { eventId: id, eventType: 'email.delivered' },
    });
  });

  it('accepts any v1 of a space-separated list, skipping other versions and junk', () => {
    const at = NOW;
    const id = 'msg_1';
    const sign = (secret: string) =>
      new StandardWebhook(secret).sign(id, at, clerkBody.toString('utf8'));
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(unixSeconds(at)),
      'webhook-signature': `v1a,zzz ${sign(OTHER)}  v2,AAAA ${sign(SECRET)}`,
    };
    expect(verifier('standard-webhooks', [SECRET]).verify(request(headers, clerkBody)).kind).toBe(
      'event',
    );
  });

  it('takes a secret without its whsec_ prefix, as the SDKs do', () => {
    const id = 'msg_2';
    const headers = {
      'svix-id': id,
      'svix-timestamp': String(unixSeconds(NOW)),
      'svix-signature': new SvixWebhook(SECRET).sign(id, NOW, clerkBody.toString('utf8')),
    };
    const bare = verifier('standard-webhooks', [SECRET.slice('whsec_'.length)]);
    expect(bare.verify(request(headers, clerkBody)).kind).toBe('event');
  });

  it.each(['webhook-id', 'webhook-timestamp'])(
    'treats a request without %s as malformed',
    (missing) => {
      const headers: Record<string, string> = {
        'webhook-id': 'msg_3',
        'webhook-timestamp': String(unixSeconds(NOW)),
        'webhook-signature': new StandardWebhook(SECRET).sign(
          'msg_3',
          NOW,
          clerkBody.toString('utf8'),
        ),
      };
      delete headers[missing];
      expect(
        reasonOf(verifier('standard-webhooks', [SECRET]).verify(request(headers, clerkBody))),
      ).toBe('malformed_signature');
    },
  );

  it('refuses at start-up a secret that is not base64, without repeating it', () => {
    expect(() => createVerifier('standard-webhooks', undefined, ['whsec_not*base64!'])).toThrow(
      /^a standard-webhooks secret is "whsec_" followed by base64$/,
    );
  });
});
