import { utf8Keys } from '../crypto.ts';
import type { EventNaming } from '../naming.ts';
import type { TimestampFormat } from '../timestamp.ts';
import type { Verifier } from '../types.ts';
import { type HmacScheme, hmacSchemeVerifier } from './scheme.ts';
import type { SignatureHeader } from './signature-header.ts';

export interface ListHeaderOptions {
  readonly header: string;
  /** `,` unless the sender spaces or semicolons its entries (WorkOS `, `, Paddle `;`). */
  readonly entrySeparator?: string | RegExp;
  /** `v1` unless named otherwise (Paddle `h1`). */
  readonly signatureKey?: string;
  /** Set when the header also carries the signed timestamp. */
  readonly timestampKey?: string;
  /** Set when the sender writes a `t=…,v1=…` pair per secret (Persona during a rotation). */
  readonly timestampPerSignature?: boolean;
}

/** A `key=value` list header of hex signatures, e.g. `v1=<hex>[,v1=<hex>…]`. */
export function listSignatureHeader(options: ListHeaderOptions): SignatureHeader {
  return {
    kind: 'list',
    names: [options.header],
    entrySeparator: options.entrySeparator ?? ',',
    keySeparator: '=',
    signatureKey: options.signatureKey ?? 'v1',
    timestampKey: options.timestampKey,
    timestampPerSignature: options.timestampPerSignature,
  };
}

export interface TimestampedListOptions extends ListHeaderOptions {
  readonly toleranceSeconds: number;
  readonly naming: EventNaming;
  /** `{timestamp}.{body}` unless the sender joins them otherwise (Paddle `:`). */
  readonly signed?: string;
  /** `unix-seconds` unless the sender counts otherwise (WorkOS milliseconds). */
  readonly timestampFormat?: TimestampFormat;
}

/**
 * Stripe's scheme and its followers': `t=<unix>,v1=<hex>[,v1=<hex>…]`, the hex HMAC-SHA256 of
 * `<t>.<body>`, any `v1` may match, and the signed `t` must be within the tolerance.
 */
function timestampedListScheme(options: TimestampedListOptions): HmacScheme {
  return {
    algorithm: 'sha256',
    encoding: 'hex',
    signature: listSignatureHeader({ ...options, timestampKey: options.timestampKey ?? 't' }),
    signed: options.signed ?? '{timestamp}.{body}',
    freshness: {
      source: { from: 'signature-header' },
      format: options.timestampFormat ?? 'unix-seconds',
      toleranceSeconds: options.toleranceSeconds,
    },
    naming: options.naming,
  };
}

/** The verifier of a provider whose only option is the replay window, keyed by UTF-8 secrets. */
export function timestampedListVerifier(scheme: Omit<TimestampedListOptions, 'toleranceSeconds'>) {
  return (options: { readonly toleranceSeconds: number }, secrets: readonly string[]): Verifier =>
    hmacSchemeVerifier(
      timestampedListScheme({ ...scheme, toleranceSeconds: options.toleranceSeconds }),
      utf8Keys(secrets),
    );
}
