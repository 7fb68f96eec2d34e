import twilio from 'twilio';
import { TWILIO_PUBLIC_URL } from './cases/index.ts';
import { incoming, verifier } from './support.ts';

export const TOKEN = '12345678901234567890123456789012';
export const PATH = '/webhooks/twilio?account=main';
export const FORM = 'application/x-www-form-urlencoded';

type Params = Record<string, string | string[]>;
const formOf = (params: Params) =>
  Object.entries(params)
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        (v) => `${encodeURIComponent(key)}=${encodeURIComponent(v)}`,
      ),
    )
    .join('&');

/** A form request signed by Twilio's SDK for the test source's URL (or `signedUrl`). */
export function formRequest(
  params: Params,
  options: { signedUrl?: string; extra?: Record<string, string> } = {},
) {
  const signature = twilio.getExpectedTwilioSignature(
    TOKEN,
    options.signedUrl ?? `${TWILIO_PUBLIC_URL}${PATH}`,
    params,
  );
  return incoming({
    headers: { 'Content-Type': FORM, 'X-Twilio-Signature': signature, ...options.extra },
    body: Buffer.from(formOf(params)),
    url: PATH,
  });
}

export const twilioVerifier = (options: Record<string, unknown> = {}) =>
  verifier('twilio', [TOKEN], { publicUrl: TWILIO_PUBLIC_URL, ...options });
