import { zoomSample } from '@webhook-inbox/signing';
import type { z } from 'zod';
import { type JsonObject, readPath } from '../body.ts';
import { hmac } from '../crypto.ts';
import { headerTimestamp, hmacSchemeVerifier } from '../engine/scheme.ts';
import { singleHeader } from '../engine/signature-header.ts';
import { bodySha256, field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { type ImmediateVerifier, reject, type Verifier } from '../types.ts';
import { replayWindowOptions } from './options.ts';
import { firstMatchingSecret } from './per-secret.ts';

/**
 * Zoom: `x-zm-signature: v0=<hex HMAC-SHA256 of v0:<x-zm-request-timestamp>:<body>>`, keyed by
 * the app's secret token. A new endpoint is checked with a signed `endpoint.url_validation`,
 * answered with the plain token and its HMAC under the same secret.
 */
export const zoomOptions = replayWindowOptions(300);

export type ZoomOptions = z.infer<typeof zoomOptions>;

const URL_VALIDATION = 'endpoint.url_validation';

function urlValidation(json: JsonObject, secret: string) {
  if (json.event !== URL_VALIDATION) return undefined;
  const plainToken = readPath(json, 'payload.plainToken');
  if (plainToken === undefined || plainToken === '') return undefined;
  const encryptedToken = hmac('sha256', secret, Buffer.from(plainToken, 'utf8')).toString('hex');
  return { plainToken, encryptedToken };
}

function zoomSecretVerifier(options: ZoomOptions, secret: string): ImmediateVerifier {
  const verifier = hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      signature: singleHeader('x-zm-signature', 'v0='),
      signed: 'v0:{timestamp}:{body}',
      freshness: headerTimestamp(
        'x-zm-request-timestamp',
        'unix-seconds',
        options.toleranceSeconds,
      ),
      // Zoom's bodies carry no event ID, and a resend is signed at a new time: the body's
      // digest (its event, event_ts and payload, all signed) names it so a resend dedupes.
      naming: { id: [bodySha256], type: [field('event')] },
      respond: (json) => urlValidation(json, secret),
    },
    [Buffer.from(secret, 'utf8')],
  );
  return {
    ...verifier,
    verify(request) {
      const result = verifier.verify(request);
      // A handshake is never stored, even one too broken to answer.
      if (result.kind === 'event' && result.event.eventType === URL_VALIDATION) {
        return reject('malformed_body', `${URL_VALIDATION} without payload.plainToken`);
      }
      return result;
    },
  };
}

export function zoomVerifier(options: ZoomOptions, secrets: readonly string[]): Verifier {
  return firstMatchingSecret(secrets.map((secret) => zoomSecretVerifier(options, secret)));
}

export const zoom = defineProvider({
  name: 'zoom',
  options: zoomOptions,
  verifier: zoomVerifier,
  credentialHeaders: ['x-zm-signature'],
  signedTimestamp: true,
  handshake: {
    description:
      'a signed `endpoint.url_validation`: `{plainToken, encryptedToken}`, the HMAC under the secret that signed it',
  },
  sample: zoomSample,
  docs: {
    entry: { name: 'zoom', secret: 'env:ZOOM_SECRET_TOKEN' },
    verified: '`x-zm-signature: v0=<hex HMAC-SHA256 of v0:<x-zm-request-timestamp>:<body>>`',
    replayWindow: '±300 s (`toleranceSeconds`)',
    eventId: "the body's SHA-256 (Zoom sends no event ID)",
    eventType: 'body `event`',
    oracle: { documented: 'receiver code' },
  },
});
