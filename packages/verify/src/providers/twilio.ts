import { randomUUID } from 'node:crypto';
import {
  hex,
  option,
  type Sample,
  type SignedSample,
  twilioSignature,
} from '@webhook-inbox/signing';
import { z } from 'zod';
import { headerValue, parseEventBody } from '../body.ts';
import { safeEqualText, sha256Hex, signedByAny, utf8Keys } from '../crypto.ts';
import { readSignatures } from '../engine/signature-header.ts';
import { checkedFormAsEvent, isFormContentType, parseForm } from '../form.ts';
import { nameEvent } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { publicUrlOption } from '../public-url.ts';
import { isJsonContentType, reject, type Verifier } from '../types.ts';
import { twilioNaming } from './twilio-naming.ts';
import { bodyHashParameter, signedParams, signedUrls } from './twilio-signing.ts';

const twilioOptions = z
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

type TwilioOptions = z.infer<typeof twilioOptions>;

const SIGNATURE_HEADER = 'x-twilio-signature';
const SIGNATURE = { kind: 'single', names: [SIGNATURE_HEADER], prefix: '' } as const;

function twilioVerifier(options: TwilioOptions, secrets: readonly string[]): Verifier {
  const keys = utf8Keys(secrets);
  return {
    credentialHeaders: [SIGNATURE_HEADER],
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

function twilioSample(s: Sample): SignedSample {
  const sid = `SM${hex(16)}`;
  const status = s.type?.startsWith('message.') ? s.type.slice('message.'.length) : 'received';
  const params: Record<string, string> = {
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: `AC${hex(16)}`,
    From: '+15558675310',
    To: '+15551234567',
    Body: 'Hello from webhook-inbox',
    NumMedia: '0',
    SmsStatus: status,
    ...Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, String(v)])),
  };
  const typeField = option(s.options, 'typeField');
  if (typeField !== undefined && s.type !== undefined) params[typeField] = s.type;
  const base = option(s.options, 'publicUrl', '').replace(/\/+$/, '');
  return {
    path: s.path,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'I-Twilio-Idempotency-Token': s.id ?? randomUUID(),
      'X-Twilio-Signature': twilioSignature(s.source.secret, `${base}${s.path}`, params),
    },
    body: new URLSearchParams(params).toString(),
  };
}

const PUBLIC_URL = 'https://hooks.example.com';

export const twilio = defineProvider({
  name: 'twilio',
  options: twilioOptions,
  verifier: twilioVerifier,
  credentialHeaders: [SIGNATURE_HEADER],
  signedTimestamp: false,
  sample: twilioSample,
  requiredOptions: { publicUrl: PUBLIC_URL },
  docs: {
    entry: { name: 'twilio', secret: 'env:TWILIO_AUTH_TOKEN', options: { publicUrl: PUBLIC_URL } },
    verified:
      "`X-Twilio-Signature`: base64 HMAC-SHA1 of the full URL + sorted form parameters; a JSON body through the URL's `bodySHA256`",
    replayWindow: 'none (no signed timestamp)',
    eventId:
      "header `I-Twilio-Idempotency-Token`, else `idField`, else a JSON body's `id`, else the SHA-256 of the signed parameters",
    eventType: 'derived (see below), or `typeField` / `eventType`',
    oracle: { sdk: ['twilio'] },
  },
});
