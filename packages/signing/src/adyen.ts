import { hex, json, type Sample, type SignedSample } from './model.ts';
import { mac } from './signers.ts';

type Item = Readonly<Record<string, unknown>>;

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/**
 * Adyen's payment webhooks sign each NotificationRequestItem: the base64 HMAC-SHA256, under the
 * hex-decoded HMAC key, of pspReference:originalReference:merchantAccountCode:merchantReference:
 * amount.value:amount.currency:eventCode:success (a missing field is empty).
 */
export function adyenSignature(hexKey: string, item: Item): string {
  const amount = (item.amount ?? {}) as Item;
  const signed = [
    item.pspReference,
    item.originalReference,
    item.merchantAccountCode,
    item.merchantReference,
    amount.value,
    amount.currency,
    item.eventCode,
    item.success,
  ]
    .map(text)
    .join(':');
  return mac('sha256', Buffer.from(hexKey, 'hex'), signed).toString('base64');
}

/** An item with its signature in `additionalData.hmacSignature`, as Adyen sends it. */
export function signedAdyenItem(hexKey: string, item: Item): Item {
  const additionalData = { ...((item.additionalData ?? {}) as Item) };
  delete additionalData.hmacSignature;
  return {
    NotificationRequestItem: {
      ...item,
      additionalData: { ...additionalData, hmacSignature: adyenSignature(hexKey, item) },
    },
  };
}

export function adyen(s: Sample): SignedSample {
  const item = {
    pspReference: s.id ?? hex(8).toUpperCase(),
    merchantAccountCode: 'ExampleMerchant',
    merchantReference: `order-${hex(4)}`,
    amount: { value: 1130, currency: 'EUR' },
    eventCode: s.type ?? 'AUTHORISATION',
    eventDate: s.at.toISOString(),
    success: 'true',
    paymentMethod: 'visa',
    ...s.data,
  };
  const body = JSON.stringify({
    live: 'false',
    notificationItems: [signedAdyenItem(s.source.secret, item)],
  });
  return json(s, {}, body);
}
