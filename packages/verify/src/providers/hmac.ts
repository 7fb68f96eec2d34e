import {
  formatTimestamp,
  genericSignature,
  json,
  namedEvent,
  option,
  renderTemplate,
  type Sample,
  type SignedSample,
  setPath,
} from '@webhook-inbox/signing';
import { z } from 'zod';
import { utf8Keys } from '../crypto.ts';
import { listSignatureHeader } from '../engine/list-scheme.ts';
import {
  type Freshness,
  type HmacScheme,
  hmacSchemeVerifier,
  templateProblem,
} from '../engine/scheme.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { publicUrlOf, publicUrlOption } from '../public-url.ts';
import type { Verifier } from '../types.ts';
import { checkNaming, namingFrom, namingShape } from './naming-options.ts';
import { toleranceSeconds } from './options.ts';

/**
 * Any HMAC sender, by configuration. The default is the most common generic scheme:
 * `X-Signature: sha256=<hex HMAC of the raw body>`, ID and type from the body's `id` and `type`.
 */
const hmacOptions = z
  .object({
    header: z.string().min(1).default('x-signature'),
    /** Before a single signature; unused when `signatureKey` makes the header a list. */
    prefix: z.string().default('sha256='),
    /** Reads the header as a `key=value` list (`t=…,v1=…,v1=…`): the key of each signature. */
    signatureKey: z.string().min(1).optional(),
    /** The list's key for the send time (`t`); it must be signed (`{timestamp}` in `signed`). */
    timestampKey: z.string().min(1).optional(),
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
    const timestamps = [options.timestampField, options.timestampHeader, options.timestampKey];
    if (timestamps.filter((t) => t !== undefined).length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['timestampHeader'],
        message: 'use one of timestampField, timestampHeader or timestampKey',
      });
    }
    if (options.timestampKey !== undefined && options.signatureKey === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['timestampKey'],
        message: 'timestampKey reads a list header: set signatureKey too',
      });
    }
    // An unsigned timestamp defends nothing: a replayer would simply send a fresh one.
    if (options.timestampKey !== undefined && !options.signed.includes('{timestamp}')) {
      ctx.addIssue({
        code: 'custom',
        path: ['signed'],
        message: 'a timestampKey must be signed: add {timestamp}',
      });
    }
    const problem = templateProblem(hmacScheme(options));
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['signed'], message: problem });
  });

type HmacOptions = z.infer<typeof hmacOptions>;

function freshnessOf(options: HmacOptions): Freshness | undefined {
  const rule = { format: options.timestampFormat, toleranceSeconds: options.toleranceSeconds };
  if (options.timestampHeader !== undefined) {
    return { ...rule, source: { from: 'header', names: [options.timestampHeader.toLowerCase()] } };
  }
  if (options.timestampField !== undefined) {
    return { ...rule, source: { from: 'json', path: options.timestampField } };
  }
  if (options.timestampKey !== undefined) return { ...rule, source: { from: 'signature-header' } };
  return undefined;
}

function hmacScheme(options: HmacOptions): HmacScheme {
  const { publicUrl } = options;
  return {
    algorithm: options.algorithm,
    encoding: options.encoding,
    signature:
      options.signatureKey === undefined
        ? { kind: 'single', names: [options.header.toLowerCase()], prefix: options.prefix }
        : listSignatureHeader({
            header: options.header.toLowerCase(),
            signatureKey: options.signatureKey,
            timestampKey: options.timestampKey,
          }),
    signed: options.signed,
    signedIdHeader: options.idHeader === undefined ? undefined : [options.idHeader.toLowerCase()],
    url:
      publicUrl === undefined ? undefined : (pathAndQuery) => publicUrlOf(publicUrl, pathAndQuery),
    freshness: freshnessOf(options),
    naming: namingFrom(options, field('id')),
  };
}

function hmacVerifier(options: HmacOptions, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(hmacScheme(options), utf8Keys(secrets));
}

function hmacSample(s: Sample): SignedSample {
  const { id, body, headers } = namedEvent(s);
  const format = option(s.options, 'timestampFormat', 'auto');
  const timestampField = option(s.options, 'timestampField');
  if (timestampField !== undefined)
    setPath(body, timestampField, formatTimestamp(s.at, format, true));
  const text = JSON.stringify(body);
  const timestamp = String(formatTimestamp(s.at, format, false));
  const timestampHeader = option(s.options, 'timestampHeader');
  if (timestampHeader !== undefined) headers[timestampHeader] = timestamp;
  const publicUrl = option(s.options, 'publicUrl');
  const message = renderTemplate(option(s.options, 'signed', '{body}'), {
    body: text,
    timestamp,
    id,
    url: publicUrl === undefined ? undefined : `${publicUrl.replace(/\/+$/, '')}${s.path}`,
  });
  const signature = genericSignature({
    secret: s.source.secret,
    algorithm: option(s.options, 'algorithm', 'sha256'),
    encoding: option(s.options, 'encoding', 'hex') === 'base64' ? 'base64' : 'hex',
    message,
  });
  const header = option(s.options, 'header', 'x-signature');
  const signatureKey = option(s.options, 'signatureKey');
  const timestampKey = option(s.options, 'timestampKey');
  const listed = `${timestampKey === undefined ? '' : `${timestampKey}=${timestamp},`}${signatureKey}=${signature}`;
  headers[header] =
    signatureKey === undefined ? `${option(s.options, 'prefix', 'sha256=')}${signature}` : listed;
  return json(s, headers, text);
}

export const hmac = defineProvider({
  name: 'hmac',
  options: hmacOptions,
  verifier: hmacVerifier,
  credentialHeaders: ['x-signature'],
  // A timestamp only where configured: a source without one has the dedupe alone.
  signedTimestamp: false,
  sample: hmacSample,
  docs: {
    entry: { name: 'payments', secret: 'env:PAYMENTS_SECRET' },
    verified:
      'configurable, also as a `t=…,v1=…` list (`signatureKey`, `timestampKey`); by default `X-Signature: sha256=<hex HMAC-SHA256 of the body>`',
    replayWindow: 'only if configured (`timestampField` / `timestampHeader` / `timestampKey`)',
    eventId: 'configurable; body `id`',
    eventType: 'configurable; body `type`',
    oracle: 'none',
  },
});
