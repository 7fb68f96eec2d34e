import { type JsonObject, parsePayloadMatch, payloadContains } from '@webhook-inbox/inbox';
import { z } from 'zod';
import type { BackoffPolicy } from './backoff.ts';

/** How often a delivery is tried, and how long it waits between tries. */
export interface DeliveryRetry extends BackoffPolicy {
  /** Tries in all, the first included; after the last the delivery is `dead`. */
  readonly attempts: number;
}

export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = {
  attempts: 12,
  baseMs: 5_000,
  capMs: 30 * 60_000,
};

/**
 * What of a destination decides which events it gets and how its jobs are queued: all that a
 * process that queues deliveries (the ingress, the relay, replay) needs, and no secret.
 */
export interface DestinationRoute {
  readonly name: string;
  /** Event type patterns; an event matching any of them goes to the destination. */
  readonly types: readonly string[];
  /** What an event's payload must contain too, in the console's filter language, if anything. */
  readonly payload?: JsonObject;
  readonly retry: DeliveryRetry;
}

export const destinationNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, _ or -');

/** `*` alone, or a type whose last dot-part may be `*`: `invoice.*`, `invoice.paid`. */
const typePattern = z
  .string()
  .regex(/^(?:\*|[^*\s]+(?:\.\*)?)$/, 'must be an event type, "prefix.*" or "*"');

/** `data.object.currency = eur`, or a JSON object the payload must contain. */
const payloadFilter = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .transform((payload, context): JsonObject => {
    if (typeof payload !== 'string') return payload;
    const parsed = parsePayloadMatch(payload);
    if (parsed.ok) return parsed.value;
    context.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  });

export const routeFields = {
  name: destinationNameSchema,
  types: z.array(typePattern).min(1).default(['*']),
  payload: payloadFilter.optional(),
  retry: z
    .object({
      attempts: z.number().int().min(1).max(100).default(DEFAULT_DELIVERY_RETRY.attempts),
      baseMs: z.number().int().min(1).default(DEFAULT_DELIVERY_RETRY.baseMs),
      capMs: z.number().int().min(1).default(DEFAULT_DELIVERY_RETRY.capMs),
    })
    .strict()
    .default(DEFAULT_DELIVERY_RETRY),
};

// Not strict: the rest of the entry (URL, secrets…) is the worker's to check.
const routeSchema = z.object(routeFields);

/**
 * The route of one destination entry, as the sources file holds it (secrets unresolved, the
 * URL unchecked). Throws a z.ZodError; the sources loader names the entry.
 */
export function parseDestinationRoute(raw: unknown): DestinationRoute {
  return routeSchema.parse(raw);
}

/** Whether an event of `type` goes to a destination with these patterns. */
export function matchesType(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
    return type === pattern;
  });
}

/**
 * The names of the destinations an event of `type` goes to, in the file's order. The payload is
 * asked for only when a destination of that type filters on it.
 */
export function destinationsFor(
  routes: readonly DestinationRoute[] | undefined,
  type: string,
  payload: () => unknown,
): string[] {
  let parsed: { value: unknown } | undefined;
  const contains = (match: JsonObject) => {
    parsed ??= { value: payload() };
    return payloadContains(parsed.value, match);
  };
  return (routes ?? [])
    .filter((route) => matchesType(route.types, type))
    .filter((route) => route.payload === undefined || contains(route.payload))
    .map((route) => route.name);
}
