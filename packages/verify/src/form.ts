import { decodeUtf8, type EventBody, parseEventBody } from './body.ts';

/** A form body's parameters, in order of first appearance; a repeated key keeps every value. */
export type FormParams = ReadonlyMap<string, readonly string[]>;

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

export const isFormContentType = (contentType: string): boolean => FORM_TYPE.test(contentType);

/** Decodes leniently, as the sender's own libraries do, to recompute what it signed. */
export function parseForm(text: string): FormParams {
  const params = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    const values = params.get(key);
    if (values) values.push(value);
    else params.set(key, [value]);
  }
  return params;
}

/**
 * Whether every escape decodes to valid UTF-8. Checked after verification: a lenient decoder
 * would store replacement characters the sender never sent.
 */
export function isWellFormedForm(text: string): boolean {
  try {
    for (const part of text.split('&')) decodeURIComponent(part.replaceAll('+', ' '));
    return true;
  } catch {
    return false;
  }
}

/** The JSON object stored for a form body: one value as a string, a repeated key as an array. */
export function formToJson(params: FormParams): Record<string, string | readonly string[]> {
  // fromEntries defines own properties, so a parameter named __proto__ stays plain data.
  return Object.fromEntries(
    [...params].map(([key, values]) => [key, values.length === 1 ? (values[0] ?? '') : values]),
  );
}

export type ReadForm = { ok: true; params: FormParams } | { ok: false; detail: string };

/** A verified form body's parameters; escapes that are not UTF-8 are the sender's fault (400). */
export function readFormBody(raw: Buffer): ReadForm {
  const text = wellFormedFormText(raw);
  if (text === undefined) return { ok: false, detail: NOT_UTF8 };
  return { ok: true, params: parseForm(text) };
}

const NOT_UTF8 = 'form body is not valid UTF-8';

/** The body as text, if it and every escape in it decode to valid UTF-8. */
function wellFormedFormText(raw: Buffer): string | undefined {
  const text = decodeUtf8(raw);
  return text !== undefined && isWellFormedForm(text) ? text : undefined;
}

/**
 * The event for a form body whose parameters were already read (Twilio reads them to verify):
 * the body is still refused when its escapes are not UTF-8.
 */
export function checkedFormAsEvent(raw: Buffer, params: FormParams): EventBody {
  return wellFormedFormText(raw) === undefined
    ? { ok: false, detail: NOT_UTF8 }
    : formAsEvent(params);
}

/** The parameters themselves are the event (Slack's slash commands). */
export function formAsEvent(params: FormParams): EventBody {
  const json = formToJson(params);
  return { ok: true, text: JSON.stringify(json), json };
}

/** The event is JSON in one parameter (GitHub's form deliveries, Slack's interactivity). */
export function jsonInField(params: FormParams, name: string): EventBody {
  const values = params.get(name);
  const [value] = values ?? [];
  if (values?.length !== 1 || value === undefined) {
    return { ok: false, detail: `form body needs exactly one "${name}" field` };
  }
  const body = parseEventBody(Buffer.from(value, 'utf8'));
  return body.ok ? body : { ok: false, detail: `"${name}" field: ${body.detail}` };
}
