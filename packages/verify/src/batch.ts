import type { JsonObject } from './body.ts';
import { sha256Hex } from './crypto.ts';
import type { Batch, BatchItem } from './provider.ts';
import { digestWithout } from './restamped.ts';
import { reject, type Verification, type VerifiedEvent } from './types.ts';

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** What splitting a batch needs beside the provider's rules. */
export interface BatchLimits {
  readonly maxEvents: number;
  /** Body fields (JSON paths) the provider re-stamps on every retry, inside each item. */
  readonly restampedFields: readonly string[];
  /** Why one event cannot be stored as it is (the shared event limits), if it cannot. */
  readonly problemOf: (event: VerifiedEvent) => string | undefined;
}

function itemEvent(batch: Batch, item: BatchItem, limits: BatchLimits): VerifiedEvent | string {
  const eventId = batch.eventId(item);
  if (!eventId) return 'event ID missing';
  const eventType = batch.eventType(item);
  if (!eventType) return 'event type missing';
  // The item's own digest, not the request's: a redelivered batch that gained or lost other
  // items must not make this one a conflicting duplicate.
  const comparableSha256 =
    limits.restampedFields.length === 0
      ? sha256Hex(Buffer.from(item.text, 'utf8'))
      : digestWithout(item.text, limits.restampedFields);
  // No signed-content key: the signature covers the whole batch, so every item would share it
  // and all but the first would be taken for replays. Item IDs are inside what is verified.
  const event: VerifiedEvent = {
    eventId,
    eventType,
    body: item.text,
    comparableSha256,
    ...(item.envelope && { envelope: JSON.stringify(item.envelope) }),
  };
  return limits.problemOf(event) ?? event;
}

/**
 * A verified body as the events it carries, one row each. All or nothing: one item that cannot
 * be named or stored refuses the request, since the provider retries the whole batch anyway.
 */
export function splitBatch(body: string, batch: Batch, limits: BatchLimits): Verification {
  const split = batch.split(JSON.parse(body));
  if (typeof split === 'string') return reject('malformed_body', split);
  const { items } = split;
  const envelope =
    split.envelope && Object.keys(split.envelope).length > 0 ? split.envelope : undefined;
  if (items.length > limits.maxEvents) {
    return reject('too_many_events', `the batch holds more than ${limits.maxEvents} events`);
  }
  if (items.length === 0 && batch.whenEmpty === 'refused') {
    return reject('malformed_body', 'the batch holds no events');
  }
  const events: VerifiedEvent[] = [];
  for (const [index, json] of items.entries()) {
    if (!isObject(json)) return reject('malformed_body', `event ${index} is not a JSON object`);
    const event = itemEvent(batch, { json, text: JSON.stringify(json), envelope }, limits);
    if (typeof event === 'string') return reject('malformed_body', `event ${index}: ${event}`);
    events.push(event);
  }
  return { kind: 'batch', events, ...(batch.reply !== undefined && { reply: batch.reply }) };
}
