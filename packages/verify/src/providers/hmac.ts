import { z } from 'zod';
import { utf8Keys } from '../crypto.ts';
import {
  type Freshness,
  type HmacScheme,
  hmacSchemeVerifier,
  templateProblem,
} from '../engine/scheme.ts';
import { field } from '../naming.ts';
import { publicUrlOf, publicUrlOption } from '../public-url.ts';
import type { Verifier } from '../types.ts';
import { checkNaming, namingFrom, namingShape } from './naming-options.ts';
import { toleranceSeconds } from './options.ts';

/**
 * Any HMAC sender, by configuration. The default is the most common generic scheme:
 * `X-Signature: sha256=<hex HMAC of the raw body>`, ID and type from the body's `id` and `type`.
 */
export const hmacOptions = z
  .object({
    header: z.string().min(1).default('x-signature'),
    prefix: z.string().default('sha256='),
    algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    /** What is signed: `{body}`, or a template such as `{timestamp}.{body}` or `{url}{body}`. */
    signed: z.string().default('{body}'),
    /** A body field with the send time; when set, stale events fail. */
    timestampField: z.string().min(1).optional(),
    /** A header with the send time; it must be signed (`{timestamp}` in `signed`). */
    timestampHeader: z.string().min(1).optional(),
    timestampFormat: z.enum(['auto', 'unix-seconds', 'unix-ms', 'iso8601']).default('auto'),
    toleranceSeconds: toleranceSeconds(300),
    /** The public URL base `{url}` starts with; the request's path and query follow it. */
    publicUrl: publicUrlOption.optional(),
    ...namingShape,
  })
  .strict()
  .superRefine((options, ctx) => {
    checkNaming(options, ctx);
    if (options.timestampField !== undefined && options.timestampHeader !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['timestampHeader'],
        message: 'use timestampField or timestampHeader, not both',
      });
    }
    const problem = templateProblem(hmacScheme(options));
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['signed'], message: problem });
  });

export type HmacOptions = z.infer<typeof hmacOptions>;

function freshnessOf(options: HmacOptions): Freshness | undefined {
  const rule = { format: options.timestampFormat, toleranceSeconds: options.toleranceSeconds };
  if (options.timestampHeader !== undefined) {
    return { ...rule, source: { from: 'header', names: [options.timestampHeader.toLowerCase()] } };
  }
  if (options.timestampField !== undefined) {
    return { ...rule, source: { from: 'json', path: options.timestampField } };
  }
  return undefined;
}

function hmacScheme(options: HmacOptions): HmacScheme {
  const { publicUrl } = options;
  return {
    algorithm: options.algorithm,
    encoding: options.encoding,
    signature: { kind: 'single', names: [options.header.toLowerCase()], prefix: options.prefix },
    signed: options.signed,
    signedIdHeader: options.idHeader === undefined ? undefined : [options.idHeader.toLowerCase()],
    url:
      publicUrl === undefined ? undefined : (pathAndQuery) => publicUrlOf(publicUrl, pathAndQuery),
    freshness: freshnessOf(options),
    naming: namingFrom(options, field('id')),
  };
}

export function hmacVerifier(options: HmacOptions, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(hmacScheme(options), utf8Keys(secrets));
}
