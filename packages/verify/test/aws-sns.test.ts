import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { globalAgent } from 'node:https';
import { SAMPLE_CERTIFICATE, type SnsMessageType, snsSignedMessage } from '@webhook-inbox/signing';
import MessageValidator from 'sns-validator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier, signSample } from '../src/index.ts';
import { CertificateServer } from './certificate-server.ts';
import { fixture, incoming, NOW, reasonOf, secondsFrom } from './support.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:orders';
const signerKey = createPrivateKey(fixture('x509/signer.key'));
const certificate = fixture('x509/signer.pem').toString();
// The fixture certificate is valid from its generation on: the suite's clock is later.
const AT = secondsFrom(NOW, 3 * 365 * 86_400);

const server = new CertificateServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => server.reset());

const LOCAL = { certificateHostPattern: '^127\\.0\\.0\\.1$', allowLoopbackHttpForTests: true };
const sns = (options: Record<string, unknown> = {}) =>
  createVerifier('aws-sns', { ...LOCAL, ...options }, [TOPIC]);

const fields = (
  type: SnsMessageType,
  at = AT,
): Record<string, string> & { Type: SnsMessageType } =>
  type === 'Notification'
    ? {
        Type: type,
        MessageId: 'da41e39f-ea4d-435a-b922-c6aae3915ebe',
        TopicArn: TOPIC,
        Subject: 'order paid',
        Message: '{"order":"o_1","status":"paid"}',
        Timestamp: at.toISOString(),
      }
    : {
        Type: type,
        MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
        Token:
          '2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736',
        TopicArn: TOPIC,
        Message: `You have chosen to subscribe to the topic ${TOPIC}.`,
        SubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336`,
        Timestamp: at.toISOString(),
      };

const certificateUrl = () => server.serve('/SimpleNotificationService-abc.pem', certificate);

const delivery = (message: Record<string, unknown>, now = AT) =>
  incoming(
    {
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-message-type': String(message.Type),
      },
      body: Buffer.from(JSON.stringify(message)),
      url: '/webhooks/orders-topic',
    },
    now,
  );

const signed = (type: SnsMessageType = 'Notification', version: '1' | '2' = '2', at = AT) =>
  snsSignedMessage(signerKey, fields(type, at), certificateUrl(), version);

describe('aws-sns', () => {
  it.each([
    ['Notification', '1'],
    ['Notification', '2'],
    ['SubscriptionConfirmation', '2'],
    ['UnsubscribeConfirmation', '1'],
  ] as const)(
    'verifies a %s with SignatureVersion %s, named by MessageId and Type',
    async (type, version) => {
      const message = signed(type, version);
      expect(await sns().verify(delivery(message))).toEqual({
        kind: 'event',
        event: { eventId: message.MessageId, eventType: type, body: JSON.stringify(message) },
      });
    },
  );

  it('verifies a Notification without a Subject', async () => {
    const { Subject: _, ...rest } = fields('Notification');
    const message = snsSignedMessage(
      signerKey,
      rest as typeof rest & { Type: 'Notification' },
      certificateUrl(),
    );
    expect((await sns().verify(delivery(message))).kind).toBe('event');
  });

  it('fetches a certificate once, and again after its cache time', async () => {
    const verifier = sns({ certificateCacheSeconds: 60 });
    const results = await Promise.all([1, 2, 3].map(() => verifier.verify(delivery(signed()))));
    expect(results.map(reasonOf)).toEqual(['event', 'event', 'event']);
    expect(server.requests).toEqual(['/SimpleNotificationService-abc.pem']);
    const cached = verifier.verify(delivery(signed()));
    expect(cached).not.toBeInstanceOf(Promise);
    expect(reasonOf(await cached)).toBe('event');
  });

  it('refuses a changed field, another key, a truncated signature', async () => {
    const verifier = sns();
    const message = signed();
    const impostor = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    for (const bad of [
      { ...message, Message: '{"order":"o_1","status":"refunded"}' },
      { ...message, Type: 'SubscriptionConfirmation', Token: 't', SubscribeURL: 'https://x' },
      snsSignedMessage(impostor, fields('Notification'), certificateUrl()),
      { ...message, Signature: message.Signature?.slice(0, 100) },
      { ...message, SignatureVersion: message.SignatureVersion === '1' ? '2' : '1' },
    ]) {
      expect(reasonOf(await verifier.verify(delivery(bad)))).toBe('no_matching_secret');
    }
  });

  it('refuses what is not a signed SNS message, at once', async () => {
    const message = signed();
    for (const [bad, reason] of [
      [{ ...message, Signature: undefined }, 'missing_signature'],
      [{ ...message, SignatureVersion: '3' }, 'malformed_signature'],
      [{ ...message, Type: 'Other' }, 'malformed_signature'],
      [{ ...message, Signature: '!!' }, 'malformed_signature'],
      [{ ...message, MessageId: 7 }, 'malformed_signature'],
    ] as const) {
      const result = sns().verify(delivery(bad));
      expect(result).not.toBeInstanceOf(Promise);
      expect(reasonOf(await result)).toBe(reason);
    }
    expect(server.requests).toEqual([]);
  });

  it('refuses another topic, a stale Timestamp and a certificate URL off the list, with no fetch', async () => {
    const other = createVerifier('aws-sns', LOCAL, ['arn:aws:sns:eu-west-1:123456789012:other']);
    expect(reasonOf(await other.verify(delivery(signed())))).toBe('no_matching_secret');
    expect(
      reasonOf(await sns().verify(delivery(signed('Notification', '2', secondsFrom(AT, -3601))))),
    ).toBe('stale_timestamp');
    const offList = [
      'https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem',
      'http://sns.eu-west-1.amazonaws.com/cert.pem',
      'https://sns.eu-west-1.amazonaws.com:8443/cert.pem',
      `${server.origin}/SimpleNotificationService-abc.txt`,
      'not a url',
    ];
    for (const url of offList) {
      const message = snsSignedMessage(signerKey, fields('Notification'), url);
      const result = await sns({
        certificateHostPattern: '^sns\\.[a-z0-9-]+\\.amazonaws\\.com$|^127\\.0\\.0\\.1$',
      }).verify(delivery(message));
      expect(result).toMatchObject({ kind: 'rejected', reason: 'malformed_signature' });
    }
    // The default list: a loopback server is off it even with the test switch on.
    const strict = createVerifier('aws-sns', { allowLoopbackHttpForTests: true }, [TOPIC]);
    expect(reasonOf(await strict.verify(delivery(signed())))).toBe('malformed_signature');
    // Without the test switch, http to a loopback host is refused too.
    const https = createVerifier(
      'aws-sns',
      { certificateHostPattern: LOCAL.certificateHostPattern },
      [TOPIC],
    );
    expect(reasonOf(await https.verify(delivery(signed())))).toBe('malformed_signature');
    expect(server.requests).toEqual([]);
  });

  it('refuses a certificate not valid at the time, of the wrong key type, or not answered in time', async () => {
    const early = await sns().verify(delivery(signed('Notification', '2', NOW), NOW));
    expect(early).toMatchObject({
      reason: 'no_matching_secret',
      detail: 'signing certificate unavailable: the certificate is expired or not yet valid',
    });
    const ecUrl = server.serve('/ec.pem', fixture('x509/ec.pem').toString());
    const ec = snsSignedMessage(signerKey, fields('Notification'), ecUrl);
    expect(await sns().verify(delivery(ec))).toMatchObject({
      detail: 'signing certificate unavailable: the certificate holds no RSA key',
    });
    server.behaviour = 'slow';
    expect(await sns({ certificateFetchTimeoutMs: 100 }).verify(delivery(signed()))).toMatchObject({
      reason: 'keys_unavailable',
      detail: 'signing certificate unavailable: the key endpoint did not answer within 100 ms',
    });
    server.behaviour = 'failing';
    expect(await sns().verify(delivery(signed()))).toMatchObject({
      reason: 'keys_unavailable',
      detail: 'signing certificate unavailable: the certificate URL answered HTTP 500',
    });
  });

  it('verifies with a pinned certificate without fetching, still checking the URL', async () => {
    const pinned = sns({ certificate });
    expect(reasonOf(await pinned.verify(delivery(signed())))).toBe('event');
    const offList = snsSignedMessage(
      signerKey,
      fields('Notification'),
      'https://evil.example/c.pem',
    );
    expect(reasonOf(await pinned.verify(delivery(offList)))).toBe('malformed_signature');
    expect(server.requests).toEqual([]);
  });

  it('signs a sample for send only for a source that pins the sample certificate', () => {
    const source = { name: 'orders-topic', provider: 'aws-sns', secret: TOPIC };
    expect(signSample(source, {}, AT)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/set the source's option "certificate" to SAMPLE_CERTIFICATE/),
    });
    const pinned = signSample({ ...source, options: { certificate: SAMPLE_CERTIFICATE } }, {}, AT);
    expect(pinned.ok).toBe(true);
  });

  it('needs topic ARNs and a valid host pattern', () => {
    expect(() => createVerifier('aws-sns', { certificate: 'not a certificate' }, [TOPIC])).toThrow(
      /certificate/,
    );
    expect(() => createVerifier('aws-sns', { certificateHostPattern: '(' }, [TOPIC])).toThrow(
      /certificateHostPattern/,
    );
  });
});

describe('aws-sns against sns-validator', () => {
  const tls = new CertificateServer(true);
  let restoreCa: unknown;
  beforeAll(async () => {
    await tls.start();
    restoreCa = globalAgent.options.ca;
    globalAgent.options.ca = fixture('x509/tls.pem');
  });
  afterAll(async () => {
    globalAgent.options.ca = restoreCa as typeof globalAgent.options.ca;
    await tls.stop();
  });

  const validate = (message: Record<string, unknown>) =>
    new Promise<boolean>((resolve) =>
      new MessageValidator(/^127\.0\.0\.1:\d+$/).validate(message, (error) => resolve(!error)),
    );

  it.each(['Notification', 'SubscriptionConfirmation'] as const)(
    'agrees on a %s signed here, and on one it would refuse',
    async (type) => {
      const url = tls.serve('/SimpleNotificationService-oracle.pem', certificate);
      for (const version of ['1', '2'] as const) {
        const message = snsSignedMessage(signerKey, fields(type), url, version);
        expect(await validate(message)).toBe(true);
        const changed = { ...message, Message: `${message.Message} ` };
        expect(await validate(changed)).toBe(false);
        // Ours reads the same certificate from a plain-http server: the same fields, signed alike.
        const ours = snsSignedMessage(signerKey, fields(type), certificateUrl(), version);
        expect(ours.Signature).toBe(message.Signature);
        expect(reasonOf(await sns().verify(delivery(ours)))).toBe('event');
        expect(reasonOf(await sns().verify(delivery({ ...ours, Message: changed.Message })))).toBe(
          'no_matching_secret',
        );
      }
    },
  );
});
