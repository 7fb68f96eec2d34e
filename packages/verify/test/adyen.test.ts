import { hmacValidator } from '@adyen/api-library';
import { signedAdyenItem } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { incoming, reasonOf, verifier } from './support.ts';

const KEY = '44782def547aaa06c910c43932b1eb0c71fc68d9d0c057550c48ec2acf6ba056';
const OTHER_KEY = '0011223344556677889900112233445566778899001122334455667788990011';

const payment = (pspReference: string, eventCode = 'AUTHORISATION') => ({
  pspReference,
  merchantAccountCode: 'ExampleMerchant',
  merchantReference: `order-${pspReference}`,
  amount: { value: 1130, currency: 'EUR' },
  eventCode,
  eventDate: '2026-06-01T12:00:00+02:00',
  success: 'true',
});

const post = (items: unknown[]) =>
  incoming({
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ live: 'false', notificationItems: items })),
    url: '/webhooks/adyen',
  });

const verify = (items: unknown[], keys = [KEY]) => verifier('adyen', keys).verify(post(items));

describe('adyen', () => {
  it('signs each item as Adyen does: the SDK validates ours, and ours what the SDK signs', () => {
    const sdk = new hmacValidator();
    const ours = signedAdyenItem(KEY, payment('PSP1')).NotificationRequestItem as never;
    expect(sdk.validateHMAC(ours, KEY)).toBe(true);
    expect(sdk.validateHMAC(ours, OTHER_KEY)).toBe(false);

    const theirs = { ...payment('PSP2'), additionalData: { hmacSignature: '' } };
    theirs.additionalData.hmacSignature = sdk.calculateHmac(theirs as never, KEY);
    const result = verify([{ NotificationRequestItem: theirs }]);
    expect(result).toMatchObject({
      kind: 'event',
      event: { eventId: 'PSP2:AUTHORISATION:true', eventType: 'AUTHORISATION' },
    });
  });

  it('splits the items, answers [accepted], and keeps live in the envelope', () => {
    const result = verify([
      signedAdyenItem(KEY, payment('PSP3')),
      signedAdyenItem(KEY, payment('PSP3', 'CAPTURE')),
    ]);
    if (result.kind !== 'batch') throw new Error(`not a batch: ${reasonOf(result)}`);
    expect(result.reply).toBe('[accepted]');
    expect(result.events.map((e) => e.eventId)).toEqual([
      'PSP3:AUTHORISATION:true',
      'PSP3:CAPTURE:true',
    ]);
    expect(JSON.parse(result.events[0]?.envelope ?? '{}')).toEqual({ live: 'false' });
  });

  it('refuses the whole request when any one item is not signed by a key of ours', () => {
    const good = signedAdyenItem(KEY, payment('PSP4'));
    const forged = signedAdyenItem(OTHER_KEY, payment('PSP5'));
    expect(reasonOf(verify([good, forged]))).toBe('no_matching_secret');
    const tampered = signedAdyenItem(KEY, payment('PSP6')) as {
      NotificationRequestItem: { amount: { value: number } };
    };
    tampered.NotificationRequestItem.amount.value = 1;
    expect(reasonOf(verify([good, tampered]))).toBe('no_matching_secret');
    expect(reasonOf(verify([good, { NotificationRequestItem: payment('PSP7') }]))).toBe(
      'missing_signature',
    );
    expect(reasonOf(verify([good, forged], [OTHER_KEY, KEY]))).toBe('batch');
  });

  it('refuses an empty list: nothing in it is signed', () => {
    expect(reasonOf(verify([]))).toBe('malformed_body');
  });
});
