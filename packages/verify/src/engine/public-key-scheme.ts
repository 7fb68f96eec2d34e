import type { KeyObject } from 'node:crypto';
import { type EventBody, firstHeader, type JsonObject, parseEventBody } from '../body.ts';
import { type SignatureEncoding, sha256Hex } from '../crypto.ts';
import { type EventNaming, nameEvent } from '../naming.ts';
import { checkTimestamp, parseTimestamp, type TimestampRule } from '../timestamp.ts';
import { type ImmediateVerifier, isJsonContentType, reject } from '../types.ts';
import { type PublicKeyAlgorithm, signedByAnyKey } from './public-keys.ts';
import { readSignatures, type SignatureHeader } from './signature-header.ts';
import { compileTemplate, type SignedTemplate, signedMessage } from './template.ts';

/**
 * One public-key signing scheme, declared (Discord, Telnyx, SendGrid, Standard Webhooks
 * `v1a`): the sender signs with its private key and we hold only the public one, so a leaked
 * configuration lets nobody forge a delivery. Every such scheme signs a timestamp header.
 */
export interface PublicKeyScheme {
  readonly algorithm: PublicKeyAlgorithm;
  readonly encoding: SignatureEncoding;
  readonly signature: SignatureHeader;
  /** What is signed, e.g. `{timestamp}{body}` or `{timestamp}|{body}`. */
  readonly signed: string;
  readonly signedIdHeader?: readonly string[];
  /** Unix seconds, signed, either side of now. */
  readonly timestamp: { readonly names: readonly string[]; readonly toleranceSeconds: number };
  readonly naming: EventNaming;
  /** A verified request the sender wants answered rather than stored (Discord's PING). */
  readonly respond?: (json: JsonObject) => Readonly<Record<string, unknown>> | undefined;
  /** How a verified body becomes the event; unset, it must be a JSON object. */
  readonly readBody?: (raw: Buffer) => EventBody;
}

function checkedTemplate(scheme: PublicKeyScheme): SignedTemplate {
  const compiled = compileTemplate(scheme.signed);
  if (!compiled.ok) throw new Error(`signed template: ${compiled.error}`);
  const { uses } = compiled.template;
  // An unsigned timestamp header defends nothing: a replayer would simply send a fresh one.
  if (!uses.has('timestamp')) throw new Error('signed template: add {timestamp}');
  if (uses.has('id') && !scheme.signedIdHeader) throw new Error('{id} needs an ID header');
  return compiled.template;
}

export function publicKeySchemeVerifier(
  scheme: PublicKeyScheme,
  keys: readonly KeyObject[],
): ImmediateVerifier {
  const template = checkedTemplate(scheme);
  const freshness: TimestampRule = {
    format: 'unix-seconds',
    toleranceSeconds: scheme.timestamp.toleranceSeconds,
  };
  const signedHeaders = template.uses.has('id') ? scheme.signedIdHeader : undefined;
  const readBody = scheme.readBody ?? parseEventBody;
  return {
    credentialHeaders: scheme.signature.names.map((name) => name.toLowerCase()),
    acceptsContentType: isJsonContentType,
    verify(request) {
      const sent = readSignatures(scheme.signature, scheme.encoding, request.headers);
      if (!sent.ok) return sent.rejection;
      const timestamp = firstHeader(request.headers, scheme.timestamp.names);
      if (parseTimestamp(timestamp, 'unix-seconds') === undefined) {
        return reject('malformed_signature', 'timestamp missing or unreadable');
      }
      const id = signedHeaders && firstHeader(request.headers, signedHeaders);
      if (signedHeaders && id === undefined) {
        return reject('malformed_signature', 'message ID missing');
      }
      const message = signedMessage(template, request.rawBody, { timestamp, id });
      if (!signedByAnyKey(scheme.algorithm, keys, message, sent.signatures)) {
        return reject('no_matching_secret');
      }
      const stale = checkTimestamp(timestamp, request.now, freshness);
      if (stale) return stale;

      const body = readBody(request.rawBody);
      if (!body.ok) return reject('malformed_body', body.detail);
      const answer = scheme.respond?.(body.json);
      if (answer) return { kind: 'respond', body: answer };
      const signedContent = () => sha256Hex(message);
      return nameEvent(
        scheme.naming,
        { ...request, json: body.json, signedContent, signedHeaders },
        body.text,
      );
    },
  };
}
