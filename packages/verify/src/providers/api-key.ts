import { z } from 'zod';
import { headerValue, parseJsonBody, readPath } from '../body.ts';
import { safeEqualText, sha256Hex } from '../crypto.ts';
import { accept, isJsonContentType, reject, type Verifier } from '../types.ts';

/** Seed 000's style: `Authorization: ApiKey <key>`, for senders that cannot sign. */
export const apiKeyOptions = z
  .object({
    header: z.string().min(1).default('authorization'),
    prefix: z.string().default('ApiKey '),
    /** Where the event ID is; without one, the body's SHA-256 stands in, so resends dedupe. */
    idField: z.string().min(1).optional(),
    typeField: z.string().min(1).default('type'),
  })
  .strict();

export type ApiKeyOptions = z.infer<typeof apiKeyOptions>;

export function apiKeyVerifier(options: ApiKeyOptions, secrets: readonly string[]): Verifier {
  const header = options.header.toLowerCase();
  const expected = secrets.map((key) => `${options.prefix}${key}`);
  return {
    credentialHeaders: [header],
    acceptsContentType: isJsonContentType,
    verify({ headers, rawBody }) {
      const sent = headerValue(headers, header);
      if (sent === undefined || sent === '') return reject('missing_signature');
      if (!expected.some((value) => safeEqualText(sent, value))) {
        return reject('no_matching_secret');
      }

      const body = parseJsonBody(rawBody);
      if (!body.ok) return reject('malformed_body', body.detail);
      const eventId =
        options.idField === undefined ? sha256Hex(rawBody) : readPath(body.json, options.idField);
      if (!eventId) return reject('malformed_body', `event ID field "${options.idField}" missing`);
      const eventType = readPath(body.json, options.typeField);
      if (!eventType) {
        return reject('malformed_body', `event type field "${options.typeField}" missing`);
      }
      return accept({ eventId, eventType, body: body.text });
    },
  };
}
