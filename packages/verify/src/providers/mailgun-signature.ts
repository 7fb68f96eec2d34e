import { signedByAny } from '../crypto.ts';
import { checkTimestamp } from '../timestamp.ts';
import { type Rejection, reject } from '../types.ts';

/** What Mailgun signs with, wherever it sends it: the JSON body's `signature`, or form fields. */
export interface MailgunToken {
  readonly timestamp: string | undefined;
  readonly token: string | undefined;
  /** Every signature sent (`signature`, a subaccount's `parent-signature`), decoded. */
  readonly signatures: readonly Buffer[];
}

/**
 * The hex HMAC-SHA256 of `<timestamp><token>` under any key, and a fresh timestamp: the signed
 * message (to key the event on), or the rejection.
 */
export function checkMailgunToken(
  sent: MailgunToken,
  keys: readonly Buffer[],
  now: Date,
  toleranceSeconds: number,
): { readonly ok: true; readonly message: Buffer } | Rejection {
  const { timestamp, token, signatures } = sent;
  if (!timestamp || !token || signatures.length === 0) return reject('malformed_signature');
  const message = Buffer.from(`${timestamp}${token}`, 'utf8');
  if (!signedByAny('sha256', keys, [message], signatures)) return reject('no_matching_secret');
  const stale = checkTimestamp(timestamp, now, { toleranceSeconds, format: 'unix-seconds' });
  return stale?.kind === 'rejected' ? stale : { ok: true, message };
}
