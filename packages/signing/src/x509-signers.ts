import { type KeyObject, sign } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * How the senders that sign with a certificate they publish at a URL sign, from their
 * documentation (nothing here imports the verifier): Amazon SNS and PayPal.
 */

const SNS_CONFIRMATION = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
] as const;

/**
 * The fields SNS signs, in order, per message type (AWS's documentation); a Notification's
 * Subject only if set. The verifier reads the same list; `sns-validator` checks both.
 */
export const SNS_SIGNED_FIELDS = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: SNS_CONFIRMATION,
  UnsubscribeConfirmation: SNS_CONFIRMATION,
} as const;

export type SnsMessageType = keyof typeof SNS_SIGNED_FIELDS;

/** An SNS message as posted: `fields` (Type included) signed with `key`, SignatureVersion 1 or 2. */
export function snsSignedMessage(
  key: KeyObject,
  fields: Readonly<Record<string, string>> & { readonly Type: SnsMessageType },
  certificateUrl: string,
  version: '1' | '2' = '2',
): Record<string, string> {
  const signed = SNS_SIGNED_FIELDS[fields.Type]
    .filter((name) => fields[name] !== undefined)
    .map((name) => `${name}\n${fields[name]}\n`)
    .join('');
  const signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(signed), key);
  return {
    ...fields,
    SignatureVersion: version,
    Signature: signature.toString('base64'),
    SigningCertURL: certificateUrl,
  };
}

/** PayPal: base64 SHA256withRSA of `<transmission id>|<time>|<webhook id>|<crc32 of the body>`. */
export function paypalSignature(
  key: KeyObject,
  transmissionId: string,
  time: string,
  webhookId: string,
  body: Buffer | string,
): string {
  const signed = `${transmissionId}|${time}|${webhookId}|${crc32(body)}`;
  return sign('sha256', Buffer.from(signed), key).toString('base64');
}
