import { microsoftGraphSample } from '@webhook-inbox/signing';
import type { z } from 'zod';
import { parseEventBody } from '../body.ts';
import { equalsAny } from '../crypto.ts';
import { bodySha256, fixed, nameEvent } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { queryOf, singleParam } from '../query.ts';
import {
  type IncomingWebhook,
  isJsonContentType,
  reject,
  respond,
  type Verification,
  type Verifier,
} from '../types.ts';
import { arrayAt, firstOf, itemField, itemSha256 } from './batch-shapes.ts';
import { noOptions } from './options.ts';

/**
 * Microsoft Graph change notifications. Nothing is signed: each notification in `value[]`
 * carries the `clientState` given when subscribing, which must be one of the source's secrets.
 * A new subscription is checked with a POST carrying `?validationToken=…`, answered with the
 * token as text at once.
 */
export const microsoftGraphOptions = noOptions;

export type MicrosoftGraphOptions = z.infer<typeof microsoftGraphOptions>;

type Notification = Record<string, unknown>;

const isNotification = (item: unknown): item is Notification =>
  item !== null && typeof item === 'object' && !Array.isArray(item);

/** The clientState is a secret: checked, then left out of what is stored. */
function withoutClientState(json: Readonly<Record<string, unknown>>, value: Notification[]) {
  return {
    ...json,
    value: value.map(({ clientState: _secret, ...notification }) => notification),
  };
}

function verifyNotifications(request: IncomingWebhook, secrets: readonly string[]): Verification {
  const body = parseEventBody(request.rawBody);
  if (!body.ok) return reject('malformed_body', body.detail);
  const { value } = body.json;
  if (!Array.isArray(value) || value.length === 0 || !value.every(isNotification)) {
    return reject('malformed_body', 'expected a non-empty value[] of notifications');
  }
  for (const { clientState } of value) {
    if (typeof clientState !== 'string' || clientState === '') return reject('missing_signature');
    // Constant-time: never ===. Every notification must match, or one could be slipped in.
    if (!equalsAny(clientState, secrets)) {
      return reject('no_matching_secret');
    }
  }
  const stored = withoutClientState(body.json, value);
  return nameEvent(
    // The request as a whole is never stored: its batch rules name each notification.
    { id: [bodySha256], type: [fixed('batch')] },
    { headers: request.headers, rawBody: request.rawBody, json: stored },
    JSON.stringify(stored),
  );
}

export function microsoftGraphVerifier(
  _options: MicrosoftGraphOptions,
  secrets: readonly string[],
): Verifier {
  return {
    credentialHeaders: [],
    // The validation request is an empty `text/plain` body, or no body at all.
    acceptsContentType: (type) =>
      type === '' || isJsonContentType(type) || /^text\/plain\s*(;|$)/i.test(type),
    verify(request) {
      // Unsigned, and safe so: the answer only repeats what was sent, and nothing is stored.
      const token = singleParam(queryOf(request.url), 'validationToken');
      if (token !== undefined) return respond(token);
      return verifyNotifications(request, secrets);
    },
  };
}

export const microsoftGraph = defineProvider({
  name: 'microsoft-graph',
  options: microsoftGraphOptions,
  verifier: microsoftGraphVerifier,
  credentialHeaders: [],
  signedTimestamp: false,
  batch: {
    split: arrayAt('value'),
    // No notification ID exists; subscription, change type and resource would merge two updates
    // of one resource, so the notification's digest (clientState left out) names it, and Graph's
    // resend of it dedupes.
    eventId: itemSha256,
    eventType: firstOf(itemField('changeType'), itemField('lifecycleEvent')),
    // The verifier refuses an empty value[] first: there is no clientState to check in it.
    whenEmpty: 'refused',
    docs: {
      item: 'each `value[]` notification, less its `clientState`',
      empty: '400: nothing proves it came from Graph',
    },
  },
  handshake: { description: '`POST ?validationToken=…`: the token, as text' },
  sample: microsoftGraphSample,
  docs: {
    entry: { name: 'graph', secret: 'env:GRAPH_CLIENT_STATE' },
    verified:
      'each `value[].clientState` equals a secret (nothing is signed; the clientState is not stored)',
    replayWindow: 'none (no timestamp)',
    eventId: "each notification's SHA-256 (notifications carry no ID)",
    eventType: 'each `changeType`, else `lifecycleEvent`',
    oracle: 'none',
  },
});
