import { type EventStatus, eventStatus, webhookEvents } from '@webhook-inbox/db';
import { eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';

export type JsonObject = { readonly [key: string]: unknown };

/** Which events an operator means; every field narrows, an empty filter matches all. */
export interface EventFilter {
  readonly source?: string;
  readonly type?: string;
  /** One or several; empty or absent means any. */
  readonly statuses?: readonly EventStatus[];
  readonly eventId?: string;
  /** Received at or after this instant. */
  readonly receivedFrom?: Date;
  /** Received before this instant. */
  readonly receivedTo?: Date;
  /** Events whose payload contains this JSON (jsonb `@>`): `{"data":{"customer_id":"cus_1"}}`. */
  readonly payloadContains?: JsonObject;
}

/** A filter as typed by a person (a query string, command-line flags). */
export interface FilterInput {
  readonly source?: string | undefined;
  readonly type?: string | undefined;
  /** Comma-separated, or several values. */
  readonly status?: string | readonly string[] | undefined;
  readonly eventId?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** A JSON object to contain, or `path.to.key = value`. */
  readonly payload?: string | undefined;
}

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly field: string; readonly reason: string };

const PATH_EQUALS = /^\s*([^\s.=]+(?:\.[^\s.=]+)*)\s*=\s*(.*?)\s*$/;

/**
 * `{"data":{"customer_id":"cus_1"}}`, or `data.customer_id = cus_1`, which means the same. A
 * value that reads as JSON (`4900`, `true`, `null`, `"4900"`) is that JSON; any other is text.
 */
export function parsePayloadMatch(text: string): Parsed<JsonObject> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return { ok: true, value: value as JsonObject };
      }
    } catch {
      // Reported below with the form that is expected.
    }
    return { ok: false, field: 'payload', reason: 'not a JSON object' };
  }
  const match = PATH_EQUALS.exec(trimmed);
  if (!match?.[1]) {
    return {
      ok: false,
      field: 'payload',
      reason: 'expected `path.to.key = value` or a JSON object such as {"data":{"id":"x"}}',
    };
  }
  let leaf = scalarFrom(match[2] ?? '');
  for (const key of match[1].split('.').reverse()) leaf = { [key]: leaf };
  return { ok: true, value: leaf as JsonObject };
}

function scalarFrom(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object') return value;
  } catch {
    // Not JSON: plain text, as typed.
  }
  return text;
}

/**
 * Whether `payload` contains `match` as Postgres's jsonb `@>` decides it, so a subscriber or a
 * destination given the console's payload filter selects in memory the events the console's
 * search finds: objects contain their keys' values, an array contains each element of the
 * match's array somewhere in it, and anything else must be equal.
 */
export function payloadContains(payload: unknown, match: unknown): boolean {
  if (Array.isArray(match)) {
    return (
      Array.isArray(payload) &&
      match.every((wanted) => payload.some((element) => payloadContains(element, wanted)))
    );
  }
  if (match !== null && typeof match === 'object') {
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return false;
    return Object.entries(match).every(
      ([key, wanted]) =>
        Object.hasOwn(payload, key) && payloadContains((payload as JsonObject)[key], wanted),
    );
  }
  return payload === match;
}

/** An instant; one without a zone is read as UTC, the zone the console shows. */
export function parseInstant(text: string): Date | undefined {
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`;
  const date = new Date(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00Z` : zoned);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function statusesFrom(input: FilterInput['status']): Parsed<EventStatus[]> {
  const parts = (typeof input === 'string' ? [input] : (input ?? []))
    .flatMap((part) => part.split(','))
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const known: readonly string[] = eventStatus.enumValues;
  const unknown = parts.find((part) => !known.includes(part));
  if (unknown !== undefined) {
    return {
      ok: false,
      field: 'status',
      reason: `unknown status "${unknown}" (${known.join(', ')})`,
    };
  }
  return { ok: true, value: [...new Set(parts)] as EventStatus[] };
}

const present = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

/** Checks what a person typed and makes it a filter, or says which field is wrong and why. */
export function parseEventFilter(input: FilterInput): Parsed<EventFilter> {
  const statuses = statusesFrom(input.status);
  if (!statuses.ok) return statuses;
  const filter: {
    -readonly [K in keyof EventFilter]: EventFilter[K];
  } = {};
  const source = present(input.source);
  const type = present(input.type);
  const eventId = present(input.eventId);
  if (source) filter.source = source;
  if (type) filter.type = type;
  if (eventId) filter.eventId = eventId;
  if (statuses.value.length > 0) filter.statuses = statuses.value;
  for (const [field, key] of [
    ['from', 'receivedFrom'],
    ['to', 'receivedTo'],
  ] as const) {
    const text = present(input[field]);
    if (!text) continue;
    const instant = parseInstant(text);
    if (!instant) {
      return { ok: false, field, reason: 'not a date or time (e.g. 2026-11-23T18:00:00Z)' };
    }
    filter[key] = instant;
  }
  const payload = present(input.payload);
  if (payload) {
    const match = parsePayloadMatch(payload);
    if (!match.ok) return match;
    filter.payloadContains = match.value;
  }
  return { ok: true, value: filter };
}

/** The filter as SQL conditions on `webhook_events`, every value a bound parameter. */
export function filterConditions(filter: EventFilter): SQL[] {
  const t = webhookEvents;
  const conditions: SQL[] = [];
  if (filter.source !== undefined) conditions.push(eq(t.source, filter.source));
  if (filter.type !== undefined) conditions.push(eq(t.eventType, filter.type));
  if (filter.eventId !== undefined) conditions.push(eq(t.eventId, filter.eventId));
  if (filter.statuses && filter.statuses.length > 0) {
    conditions.push(inArray(t.status, [...filter.statuses]));
  }
  if (filter.receivedFrom) conditions.push(gte(t.receivedAt, filter.receivedFrom));
  if (filter.receivedTo) conditions.push(lt(t.receivedAt, filter.receivedTo));
  if (filter.payloadContains) {
    conditions.push(sql`${t.payload} @> ${JSON.stringify(filter.payloadContains)}::jsonb`);
  }
  return conditions;
}
