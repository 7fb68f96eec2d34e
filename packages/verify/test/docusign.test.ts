import { createHmac, timingSafeEqual } from 'node:crypto';
import { docusignSignature } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { docusignBody } from './cases/content-platforms.ts';
import { incoming, reasonOf, type SignedRequest, verifier } from './support.ts';

/**
 * No DocuSign SDK verifies Connect messages; its "How to validate an HMAC signature" page gives
 * this code (ComputeHash, HashIsValid), here as written there, in Node.
 */
const computeHash = (secret: string, payload: Buffer) =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(payload).digest('base64');
const hashIsValid = (secret: string, payload: Buffer, verify: string) => {
  const expected = Buffer.from(computeHash(secret, payload), 'base64');
  const sent = Buffer.from(verify, 'base64');
  return expected.length === sent.length && timingSafeEqual(expected, sent);
};

const post = (signatures: Record<string, string>, body: Buffer = docusignBody): SignedRequest => ({
  headers: { 'Content-Type': 'application/json', ...signatures },
  body,
  url: '/webhooks/docusign',
});

const check = (keys: string[], request: SignedRequest) =>
  verifier('docusign', keys).verify(incoming(request));

const recipientBody = (retryCount: number) =>
  Buffer.from(
    JSON.stringify({
      event: 'recipient-completed',
      apiVersion: 'v2.1',
      uri: '/restapi/v2.1/accounts/acc/envelopes/env-1',
      retryCount,
      configurationId: 10418452,
      generatedDateTime: '2026-06-01T11:59:58.4513269Z',
      data: { accountId: 'acc', envelopeId: 'env-1', recipientId: '2' },
    }),
  );

describe('docusign', () => {
  it("signs as its docs' code computes, and accepts what that code signs", () => {
    const key = 'connect-key-one';
    const signature = docusignSignature(key, docusignBody);
    expect(hashIsValid(key, docusignBody, signature)).toBe(true);
    const result = check([key], post({ 'X-DocuSign-Signature-1': computeHash(key, docusignBody) }));
    expect(result.kind).toBe('event');
  });

  it('accepts any one of the signatures sent, one per active Connect key', () => {
    const request = post({
      'X-DocuSign-Signature-1': computeHash('a-key-we-deleted', docusignBody),
      'X-DocuSign-Signature-2': computeHash('key-two', docusignBody),
      'X-DocuSign-Signature-100': computeHash('key-hundred', docusignBody),
    });
    expect(check(['key-two'], request).kind).toBe('event');
    expect(check(['key-hundred'], request).kind).toBe('event');
    expect(reasonOf(check(['key-three'], request))).toBe('no_matching_secret');
  });

  it('skips a garbled signature when another is usable, and refuses when none is', () => {
    const good = computeHash('key-two', docusignBody);
    const mixed = post({ 'X-DocuSign-Signature-1': 'not base64!', 'X-DocuSign-Signature-2': good });
    expect(check(['key-two'], mixed).kind).toBe('event');
    const garbled = post({ 'X-DocuSign-Signature-1': 'not base64!' });
    expect(reasonOf(check(['key-two'], garbled))).toBe('malformed_signature');
    expect(reasonOf(check(['key-two'], post({ 'X-DocuSign-Signature-101': good })))).toBe(
      'missing_signature',
    );
  });

  it('names a recipient event by its recipient, and a retry the same, comparing it without retryCount', () => {
    const named = (body: Buffer) => {
      const result = check(['k'], post({ 'X-DocuSign-Signature-1': computeHash('k', body) }, body));
      if (result.kind !== 'event') throw new Error(`not accepted: ${reasonOf(result)}`);
      return result.event;
    };
    const first = named(recipientBody(0));
    const retry = named(recipientBody(3));
    expect(first).toMatchObject({
      eventId: 'env-1:recipient-completed:2:2026-06-01T11:59:58.4513269Z',
      eventType: 'recipient-completed',
    });
    expect(retry.eventId).toBe(first.eventId);
    expect(retry.comparableSha256).toBe(first.comparableSha256);
    expect(first.comparableSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a verified message it cannot name (no event), and XML', () => {
    const body = Buffer.from(JSON.stringify({ data: { envelopeId: 'env-1' } }));
    const request = post({ 'X-DocuSign-Signature-1': computeHash('k', body) }, body);
    expect(reasonOf(check(['k'], request))).toBe('malformed_body');
    expect(verifier('docusign', ['k']).acceptsContentType('text/xml')).toBe(false);
  });
});
