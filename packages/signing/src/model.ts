import { randomBytes } from 'node:crypto';
import type { Options } from './generic.ts';

/** A source as the sources file describes it, with the secret to sign with resolved. */
export interface SourceToSign {
  readonly name: string;
  readonly provider: string;
  readonly secret: string;
  readonly options?: Options | undefined;
}

/** What to send; every field has a sample default. */
export interface SampleEvent {
  readonly id?: string | undefined;
  readonly type?: string | undefined;
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

export interface SignedSample {
  /** POST unless set: some providers check a new URL with a GET. */
  readonly method?: 'GET' | 'POST';
  /** Path (and query) to send to on the ingress. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type SampleResult =
  | { readonly ok: true; readonly request: SignedSample }
  | { readonly ok: false; readonly error: string };

/** One sample being signed: the source, what to send, and when. */
export interface Sample {
  readonly source: SourceToSign;
  readonly options: Options;
  readonly id: string | undefined;
  readonly type: string | undefined;
  readonly data: Readonly<Record<string, unknown>> | undefined;
  readonly at: Date;
  readonly seconds: number;
  readonly path: string;
}

export type Signer = (sample: Sample) => SignedSample;

export const hex = (bytes: number) => randomBytes(bytes).toString('hex');

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** A JSON request to the sample's path. */
export const json = (
  sample: Sample,
  headers: Record<string, string>,
  body: string,
): SignedSample => ({
  path: sample.path,
  headers: { ...JSON_TYPE, ...headers },
  body,
});

/**
 * A JSON request whose signature covers a unix-seconds timestamp sent in a header of its own
 * (Discord, Telnyx, SendGrid): `sign` is given that timestamp as sent.
 */
export function timestampedJson(
  sample: Sample,
  headers: { readonly signature: string; readonly timestamp: string },
  body: string,
  sign: (timestamp: string) => string,
): SignedSample {
  const timestamp = String(sample.seconds);
  return json(
    sample,
    { [headers.signature]: sign(timestamp), [headers.timestamp]: timestamp },
    body,
  );
}
