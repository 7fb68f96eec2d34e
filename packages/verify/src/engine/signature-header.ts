import { firstHeader, type Headers } from '../body.ts';
import { decodeSignature, type SignatureEncoding } from '../crypto.ts';
import { reject, type Verification } from '../types.ts';

/**
 * single: `<prefix><signature>` (GitHub `sha256=…`, Slack `v0=…`, Shopify bare base64).
 * list: separated `key<sep>value` entries, several signatures allowed (Stripe
 * `t=…,v1=…,v1=…`, Paddle `ts=…;h1=…`, Standard Webhooks `v1,… v1,…`).
 */
export type SignatureHeader =
  | { readonly kind: 'single'; readonly names: readonly string[]; readonly prefix: string }
  | {
      readonly kind: 'list';
      readonly names: readonly string[];
      /** A pattern where entries are split on more than one (Persona's `,` and ` t=`). */
      readonly entrySeparator: string | RegExp;
      readonly keySeparator: string;
      readonly signatureKey: string;
      /** Set when the header also carries the signed timestamp (Stripe `t`, Paddle `ts`). */
      readonly timestampKey?: string;
      /** The sender repeats the timestamp before each signature (Persona): one value, repeated. */
      readonly timestampPerSignature?: boolean;
    };

/** A header (or its spellings) holding `<prefix><signature>`. */
export const singleHeader = (names: string | readonly string[], prefix = ''): SignatureHeader => ({
  kind: 'single',
  names: typeof names === 'string' ? [names] : names,
  prefix,
});

export type SentSignatures =
  | { readonly ok: true; readonly signatures: readonly Buffer[]; readonly timestamp?: string }
  | { readonly ok: false; readonly rejection: Verification };

const failed = (rejection: Verification): SentSignatures => ({ ok: false, rejection });

function readSingle(value: string, prefix: string, encoding: SignatureEncoding): SentSignatures {
  if (!value.startsWith(prefix)) return failed(reject('malformed_signature'));
  const signature = decodeSignature(value.slice(prefix.length), encoding);
  return signature ? { ok: true, signatures: [signature] } : failed(reject('malformed_signature'));
}

function readList(
  value: string,
  spec: Extract<SignatureHeader, { kind: 'list' }>,
  encoding: SignatureEncoding,
): SentSignatures {
  const signatures: Buffer[] = [];
  const timestamps: string[] = [];
  for (const entry of value.split(spec.entrySeparator)) {
    const at = entry.indexOf(spec.keySeparator);
    if (at <= 0) continue;
    const key = entry.slice(0, at);
    const text = entry.slice(at + spec.keySeparator.length);
    if (key === spec.timestampKey) timestamps.push(text);
    // Unknown schemes and undecodable values are skipped: a sender may add schemes we ignore.
    const signature = key === spec.signatureKey ? decodeSignature(text, encoding) : undefined;
    if (signature) signatures.push(signature);
  }
  if (signatures.length === 0) return failed(reject('malformed_signature', 'no usable signature'));
  if (spec.timestampKey === undefined) return { ok: true, signatures };
  // Two different timestamps would leave unclear which one is signed.
  const [timestamp] = timestamps;
  const count = spec.timestampPerSignature ? new Set(timestamps).size : timestamps.length;
  if (count !== 1 || !timestamp) {
    return failed(reject('malformed_signature', 'signature timestamp missing or repeated'));
  }
  return { ok: true, signatures, timestamp };
}

export function readSignatures(
  spec: SignatureHeader,
  encoding: SignatureEncoding,
  headers: Headers,
): SentSignatures {
  const value = firstHeader(headers, spec.names);
  if (value === undefined) return failed(reject('missing_signature'));
  return spec.kind === 'single'
    ? readSingle(value, spec.prefix, encoding)
    : readList(value, spec, encoding);
}
