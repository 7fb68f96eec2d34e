import { createHash } from 'node:crypto';
import type { ProviderName, RejectionReason } from '../../src/index.ts';
import type { SignedRequest } from '../support.ts';

/** One provider as the shared suites exercise it: how its sender signs, and what we expect. */
export interface ProviderCase {
  readonly label: string;
  readonly provider: ProviderName;
  readonly options?: Record<string, unknown>;
  /** The secret the sender signs with, and a second one active during a rotation. */
  readonly secret: string;
  readonly otherSecret: string;
  /** The request the sender makes at `at`: signed by the provider's SDK wherever it can sign. */
  sign(secret: string, at: Date): Promise<SignedRequest>;
  /** As the provider writes it; tests send it in other cases too. */
  readonly signatureHeader: string;
  /** Further headers whose values are signed (timestamps, message IDs). */
  readonly signedHeaders?: readonly string[];
  /** The header the event ID comes from when the signature does not cover it. */
  readonly unsignedIdHeader?: string;
  /** Where a header's meaningful bytes start (after a case-insensitive auth scheme). */
  readonly signatureFrom?: number;
  /** The reason for a signature header that is present but unreadable. */
  readonly garbled: RejectionReason;
  readonly expected: { readonly eventId: string; readonly eventType: string };
  /** The replay window; undefined for providers that send no timestamp. */
  readonly toleranceSeconds?: number;
  /** Twilio signs decoded form parameters, so two spellings of one parameter set are one request. */
  readonly signsDecodedForm?: boolean;
  /** A credential sent as is: nothing covers the body (why a signature is preferable). */
  readonly credentialOnly?: boolean;
}

export const json = { 'Content-Type': 'application/json' };
export const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');
