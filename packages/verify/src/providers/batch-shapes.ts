import { type EventBody, type JsonObject, parseJsonBody, readPath } from '../body.ts';
import { sha256Hex } from '../crypto.ts';
import type { Batch, BatchItem } from '../provider.ts';

type Split = ReturnType<Batch['split']>;

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads a verified body that is a JSON array of events, for a scheme that reads bodies as
 * objects: no field of the request as a whole names anything, its batch rules name each event.
 */
export function readArrayBody(raw: Buffer): EventBody {
  const body = parseJsonBody(raw);
  if (!body.ok) return body;
  if (!Array.isArray(body.json)) return { ok: false, detail: 'body is not a JSON array of events' };
  return { ok: true, text: body.text, json: {} };
}

/** A body that is itself the JSON array of events (SendGrid, HubSpot, Auth0, Event Grid). */
export const arrayBody = (body: unknown): Split =>
  Array.isArray(body) ? { items: body } : 'body is not a JSON array of events';

/**
 * A JSON object whose array at `path` (dotted) holds the events; the rest of the top level is
 * the envelope. `unwrap` names a key each item nests its event under (Adyen's
 * `NotificationRequestItem`).
 */
export const arrayAt =
  (path: string, unwrap?: string) =>
  (body: unknown): Split => {
    if (!isObject(body)) return 'body is not a JSON object';
    let list: unknown = body;
    for (const key of path.split('.')) list = isObject(list) ? list[key] : undefined;
    if (!Array.isArray(list)) return `expected an array at ${path}`;
    const [top = path] = path.split('.');
    const { [top]: _events, ...envelope } = body;
    const items =
      unwrap === undefined ? list : list.map((item) => (isObject(item) ? item[unwrap] : item));
    return { items, envelope };
  };

/** An item's string (or exact integer) field. */
export const itemField =
  (path: string) =>
  (item: BatchItem): string | undefined =>
    readPath(item.json, path);

/** The envelope's field, for a type the items do not carry themselves (Meta's `object`). */
export const envelopeField =
  (path: string) =>
  (item: BatchItem): string | undefined =>
    item.envelope && readPath(item.envelope, path);

/** The first of several ways to read a value that gives one. */
export const firstOf =
  (...readers: ((item: BatchItem) => string | undefined)[]) =>
  (item: BatchItem): string | undefined => {
    for (const read of readers) {
      const value = read(item);
      if (value) return value;
    }
    return undefined;
  };

/**
 * For items with no ID of their own: the digest of the item's JSON. A provider that resends a
 * batch resends the same items, so each still dedupes; two identical items in one batch are one.
 */
export const itemSha256 = (item: BatchItem): string => sha256Hex(Buffer.from(item.text, 'utf8'));
