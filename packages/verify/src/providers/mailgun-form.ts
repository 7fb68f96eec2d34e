import { headerValue } from '../body.ts';
import { decodeSignature, sha256Hex } from '../crypto.ts';
import { type FormParams, formToJson, isFormContentType, readFormBody } from '../form.ts';
import { type EventNaming, field, fixed, nameEvent, signedContentSha256 } from '../naming.ts';
import { type IncomingWebhook, reject, type Verification } from '../types.ts';
import { checkMailgunToken } from './mailgun-signature.ts';

/**
 * Mailgun's legacy webhooks and its routes' `forward()` post a form, not JSON: urlencoded, or
 * multipart when there are attachments, with `timestamp`, `token` and `signature` among the
 * fields. The signature covers only `<timestamp><token>`, so the event is named by that signed
 * pair: a retry repeats it, a replay with another body is the same event. Legacy events say
 * what they are in `event`; a forwarded message has none and is typed `inbound`.
 */
const MULTIPART = /^multipart\/form-data\s*;/i;

export const isMailgunFormType = (contentType: string): boolean =>
  isFormContentType(contentType) || MULTIPART.test(contentType);

/** Verified, then left out of what is stored: they would only help a replay. */
const SIGNING_FIELDS = new Set(['signature', 'parent-signature', 'token']);

const NAMING: EventNaming = { id: [signedContentSha256], type: [field('event'), fixed('inbound')] };

const single = (params: FormParams, name: string): string | undefined => {
  const values = params.get(name);
  return values?.length === 1 ? values[0] : undefined;
};

function verifyParams(
  params: FormParams,
  request: IncomingWebhook,
  keys: readonly Buffer[],
  tolerance: number,
): Verification {
  const signatures = ['signature', 'parent-signature']
    .map((name) => single(params, name))
    .map((value) => (value === undefined ? undefined : decodeSignature(value, 'hex')))
    .filter((value) => value !== undefined);
  const sent = {
    timestamp: single(params, 'timestamp'),
    token: single(params, 'token'),
    signatures,
  };
  if (sent.timestamp === undefined && sent.token === undefined && !params.has('signature')) {
    return reject('missing_signature');
  }
  const checked = checkMailgunToken(sent, keys, request.now, tolerance);
  if ('kind' in checked) return checked;
  const json = formToJson(new Map([...params].filter(([name]) => !SIGNING_FIELDS.has(name))));
  const input = { ...request, json, signedContent: () => sha256Hex(checked.message) };
  return nameEvent(NAMING, input, JSON.stringify(json));
}

/** A multipart body's fields, an attachment by its file name; undefined when it cannot be read. */
async function multipartParams(raw: Buffer, contentType: string): Promise<FormParams | undefined> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    return undefined;
  }
  const params = new Map<string, string[]>();
  for (const [name, value] of form) {
    const text = typeof value === 'string' ? value : value.name;
    params.set(name, [...(params.get(name) ?? []), text]);
  }
  return params;
}

/** Verifies a legacy form post; a multipart one is read asynchronously. */
export function verifyMailgunForm(
  request: IncomingWebhook,
  keys: readonly Buffer[],
  tolerance: number,
): Verification | Promise<Verification> {
  const contentType = headerValue(request.headers, 'content-type') ?? '';
  if (isFormContentType(contentType)) {
    const form = readFormBody(request.rawBody);
    return form.ok
      ? verifyParams(form.params, request, keys, tolerance)
      : reject('malformed_body', form.detail);
  }
  return multipartParams(request.rawBody, contentType).then((params) =>
    params === undefined
      ? reject('malformed_body', 'multipart body could not be read')
      : verifyParams(params, request, keys, tolerance),
  );
}
