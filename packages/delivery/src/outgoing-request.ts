import { Webhook } from 'standardwebhooks';
import type { Destination } from './destination.ts';

/** What the worker hands over for one (event, destination). */
export interface DeliveryMessage {
  /** The `webhook-id`: the same on every attempt, so the receiver can dedupe (`deliveryId`). */
  readonly webhookId: string;
  readonly source: string;
  readonly eventId: string;
  readonly type: string;
  readonly receivedAt: Date;
  /** The event's body as the inbox stored it. */
  readonly payload: unknown;
  /** The original request's headers as stored (credential headers already removed). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Headers the delivery sets itself, or that describe the original connection rather than the
 * event: forwarding them would break the request or its signature.
 */
const RESERVED_HEADERS = new Set([
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'host',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'user-agent',
]);

export const isReservedHeader = (name: string) => RESERVED_HEADERS.has(name.toLowerCase());

export const USER_AGENT = 'webhook-inbox';

/** The body the receiver gets, by the destination's envelope. */
export function requestBody(destination: Destination, message: DeliveryMessage): string {
  switch (destination.envelope) {
    case 'body':
      return JSON.stringify(message.payload);
    case 'event':
      return JSON.stringify({
        id: message.eventId,
        source: message.source,
        type: message.type,
        receivedAt: message.receivedAt.toISOString(),
        payload: message.payload,
      });
    default: {
      const unknown: never = destination.envelope;
      throw new Error(`unknown envelope ${String(unknown)}`);
    }
  }
}

/** Each secret's `v1,…` signature, space-separated as Standard Webhooks reads a rotation. */
function signature(secrets: readonly string[], id: string, at: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' ');
}

/** The request's headers: the allow-listed original ones, then the delivery's own. */
export function requestHeaders(
  destination: Destination,
  message: DeliveryMessage,
  body: string,
  at: Date,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const original = new Map(
    Object.entries(message.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  for (const name of destination.forwardHeaders) {
    const value = original.get(name);
    if (value !== undefined) headers[name] = value;
  }
  headers['content-type'] = 'application/json';
  headers['user-agent'] = USER_AGENT;
  headers['webhook-id'] = message.webhookId;
  headers['webhook-timestamp'] = String(Math.floor(at.getTime() / 1000));
  headers['webhook-signature'] = signature(destination.secrets, message.webhookId, at, body);
  return headers;
}
