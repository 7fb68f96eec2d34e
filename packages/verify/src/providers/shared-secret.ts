import { type EventBody, headerValue, parseEventBody } from '../body.ts';
import { equalsAny } from '../crypto.ts';
import { type EventNaming, nameEvent } from '../naming.ts';
import { isJsonContentType, reject, type Verification, type Verifier } from '../types.ts';

/** A sender that proves itself with a secret sent as is, in one header, rather than a signature. */
export interface SharedSecretScheme {
  readonly header: string;
  /** Undefined when the credential sent is one of ours, else why not. Constant-time inside. */
  check(sent: string): Verification | undefined;
  readonly naming: EventNaming;
  /** How the verified body is read; a JSON object unless set (Auth0 posts an array). */
  readonly readBody?: (raw: Buffer) => EventBody;
}

/** The check of a credential that must be one of `values` as sent, whole. */
export const oneOf =
  (values: readonly string[]) =>
  (sent: string): Verification | undefined =>
    equalsAny(sent, values) ? undefined : reject('no_matching_secret');

export function sharedSecretVerifier(scheme: SharedSecretScheme): Verifier {
  const header = scheme.header.toLowerCase();
  return {
    credentialHeaders: [header],
    acceptsContentType: isJsonContentType,
    verify(request) {
      const sent = headerValue(request.headers, header);
      if (sent === undefined || sent === '') return reject('missing_signature');
      const failed = scheme.check(sent);
      if (failed) return failed;

      const body = (scheme.readBody ?? parseEventBody)(request.rawBody);
      if (!body.ok) return reject('malformed_body', body.detail);
      return nameEvent(scheme.naming, { ...request, json: body.json }, body.text);
    },
  };
}
