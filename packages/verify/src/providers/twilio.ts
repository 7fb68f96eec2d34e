import { z } from 'zod';
import { headerValue, parseEventBody } from '../body.ts';
import { safeEqualText, sha256Hex, signedByAny, utf8Keys } from '../crypto.ts';
import { readSignatures } from '../engine/signature-header.ts';
import { checkedFormAsEvent, isFormContentType, parseForm } from '../form.ts';
import { nameEvent } from '../naming.ts';
import { publicUrlOption } from '../public-url.ts';
import { isJsonContentType, reject, type Verifier } from '../types.ts';
import { twilioNaming } from './twilio-naming.ts';
import { bodyHashParameter, signedParams, signedUrls } from './twilio-signing.ts';

export const twilioOptions = z
  .object({
    /** Where Twilio posts, as Twilio sees it (scheme, host, any path prefix); required behind proxies. */
    publicUrl: publicUrlOption,
    /** A parameter (or JSON path) naming the event when no idempotency token is sent. */
    idField: z.string().min(1).optional(),
    /** A parameter (or JSON path) with the event type, e.g. `StatusCallbackEvent`. */
    typeField: z.string().min(1).optional(),
    /** One type for every event of this source. */
    eventType: z.string().min(1).optional(),
  })
  .strict()
  .refine((o) => o.typeField === undefined || o.eventType === undefined, {
    path: ['eventType'],
    message: 'use typeField or eventType, not both',
  });

export type TwilioOptions = z.infer<typeof twilioOptions>;

const SIGNATURE = { kind: 'single', names: ['x-twilio-signature'], prefix: '' } as const;

export function twilioVerifier(options: TwilioOptions, secrets: readonly string[]): Verifier {
  const keys = utf8Keys(secrets);
  return {
    credentialHeaders: ['x-twilio-signature'],
    acceptsContentType: (type) => isFormContentType(type) || isJsonContentType(type),
    verify(request) {
      const sent = readSignatures(SIGNATURE, 'base64', request.headers);
      if (!sent.ok) return sent.rejection;
      const bodyHash = bodyHashParameter(request.url);
      const isForm = isFormContentType(headerValue(request.headers, 'content-type') ?? '');
      // Without bodySHA256 a JSON body is covered by nothing Twilio signed.
      if (bodyHash === undefined && !isForm) return reject('missing_signature', 'no bodySHA256');

      const params = parseForm(isForm ? request.rawBody.toString('utf8') : '');
      // With bodySHA256 the URL alone is signed; otherwise the sorted parameters follow it.
      const afterUrl = bodyHash === undefined ? signedParams(params) : '';
      const messages = signedUrls(options.publicUrl, request.url).map((url) =>
        Buffer.from(url + afterUrl, 'utf8'),
      );
      const bodyMatches =
        bodyHash === undefined || safeEqualText(sha256Hex(request.rawBody), bodyHash);
      if (!signedByAny('sha1', keys, messages, sent.signatures) || !bodyMatches) {
        return reject('no_matching_secret');
      }

      const body = isForm
        ? checkedFormAsEvent(request.rawBody, params)
        : parseEventBody(request.rawBody);
      if (!body.ok) return reject('malformed_body', body.detail);
      const naming = twilioNaming(options, body.json);
      // The signed URL base varies by port; the path, query and sorted parameters do not.
      const signedContent = () => sha256Hex(Buffer.from(request.url + afterUrl, 'utf8'));
      return nameEvent(naming, { ...request, json: body.json, signedContent }, body.text);
    },
  };
}
