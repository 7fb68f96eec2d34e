import { z } from 'zod';
import { parseJsonBody, headerValue, readPath } from '../body.ts';
import { decodeSignature, hmac, safeEqual } from '../crypto.ts';
import { checkTimestamp } from '../timestamp.ts';
import { accept, isJsonContentType, reject, type Verifier } from '../types.ts';

/** The generic scheme of seed 003: `X-Signature: sha256=<hex HMAC of the raw body>`. */
export const hmacOptions = z
  .object({
    header: z.string().min(1).default('x-signature'),
    prefix: z.string().default('sha256='),
    algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    idField: z.string().min(1).default('id'),
    typeField: z.string().min(1).default('type'),
    /** A body field with the send time (unix seconds or ISO 8601); when set, stale events fail. */
    timestampField: z.string().min(1).optional(),
    toleranceSeconds: z.number().int().positive().default(300),
  })
  .strict();

export type HmacOptions = z.infer<typeof hmacOptions>;

export function hmacVerifier(options: HmacOptions, secrets: readonly string[]): Verifier {
  const header = options.header.toLowerCase();
  return {
    credentialHeaders: [header],
    acceptsContentType: isJsonContentType,
    verify({ headers, rawBody, now }) {
      const sent = headerValue(headers, header);
      if (sent === undefined) return reject('missing_signature');
      if (!sent.startsWith(options.prefix)) return reject('malformed_signature');
      const signature = decodeSignature(sent.slice(options.prefix.length), options.encoding);
      if (signature === undefined) return reject('malformed_signature');

      const matched = secrets.some((secret) =>
        safeEqual(hmac(options.algorithm, secret, rawBody), signature),
      );
      if (!matched) return reject('no_matching_secret');

      const body = parseJsonBody(rawBody);
      if (!body.ok) return reject('malformed_body', body.detail);
      if (options.timestampField !== undefined) {
        const stale = checkTimestamp(readPath(body.json, options.timestampField), now, {
          toleranceSeconds: options.toleranceSeconds,
        });
        if (stale) return stale;
      }
      const eventId = readPath(body.json, options.idField);
      if (!eventId) return reject('malformed_body', `event ID field "${options.idField}" missing`);
      const eventType = readPath(body.json, options.typeField);
      if (!eventType) {
        return reject('malformed_body', `event type field "${options.typeField}" missing`);
      }
      return accept({ eventId, eventType, body: body.text });
    },
  };
}
