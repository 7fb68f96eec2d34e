import { z } from 'zod';
import { splitBatch } from './batch.ts';
import { type NumberBounds, nestsDeeperThan, numberBeyond } from './body.ts';
import type { Batch } from './provider.ts';
import { digestWithout } from './restamped.ts';
import { accept, reject, type Verification, type VerifiedEvent, type Verifier } from './types.ts';

/** Bounds a verified event must keep before it is stored; set per deployment. */
export interface EventLimits {
  /** The deepest nesting of objects and arrays a payload may have. */
  readonly maxJsonDepth: number;
  /** The most events one batched request may carry; more are refused whole (413). */
  readonly maxBatchEvents: number;
}

/**
 * Real payloads nest a dozen levels at most; jsonb refuses past about 15,000 (Postgres 15 at
 * its default 2 MB `max_stack_depth`), and handlers that walk a payload recursively overflow
 * far sooner than that.
 */
export const DEFAULT_EVENT_LIMITS: EventLimits = { maxJsonDepth: 128, maxBatchEvents: 1_000 };

/**
 * IDs and types are indexed, and a btree refuses an entry over about 2.7 KB, so a longer value
 * would fail every retry of its delivery. 256 characters holds every provider's IDs many times
 * over: Stripe's `evt_…` about 30, GitHub's delivery GUIDs 36, Twilio's SIDs 34.
 */
/**
 * What JSON parsers represent: a double reaches 1e308 and holds 17 significant digits. Beyond
 * that no handler could read the number as sent anyway, and jsonb, which keeps it exact, would
 * print one `1e131071` as 131,072 digits on every read: a tiny signed body that no reader of
 * the inbox survives.
 */
export const JSON_NUMBER_BOUNDS: NumberBounds = { maxExponent: 308, maxDigits: 100 };

export const MAX_EVENT_ID_LENGTH = 256;
export const MAX_EVENT_TYPE_LENGTH = 256;

/** Options every provider takes beside its own. */
export const commonOptions = z.looseObject({
  /**
   * Where the event ID comes from a header the signature does not cover, the event is also keyed
   * on the digest of what is signed. Off: two deliveries with byte-identical signed content (a
   * sender without timestamps sending one event twice) are two events, and a captured request
   * replayed under a new ID is a new event too.
   */
  dedupeBySignedContent: z.boolean().default(true),
});

export interface EventRules {
  readonly limits: EventLimits;
  readonly dedupeBySignedContent: boolean;
  /** Body fields (JSON paths) the provider re-stamps on every retry. */
  readonly restampedFields: readonly string[];
  /** Set for a provider whose body carries several events. */
  readonly batch?: Batch | undefined;
}

/** Why a verified event cannot be stored as it is, in words the sender can act on. */
export function limitProblem(event: VerifiedEvent, limits: EventLimits): string | undefined {
  if (event.eventId.length > MAX_EVENT_ID_LENGTH) {
    return `event ID is longer than ${MAX_EVENT_ID_LENGTH} characters`;
  }
  if (event.eventType.length > MAX_EVENT_TYPE_LENGTH) {
    return `event type is longer than ${MAX_EVENT_TYPE_LENGTH} characters`;
  }
  if (nestsDeeperThan(event.body, limits.maxJsonDepth)) {
    return `body nests deeper than ${limits.maxJsonDepth} levels`;
  }
  if (numberBeyond(event.body, JSON_NUMBER_BOUNDS)) {
    const { maxExponent, maxDigits } = JSON_NUMBER_BOUNDS;
    return `body has a number with an exponent beyond ±${maxExponent} or over ${maxDigits} digits`;
  }
  return undefined;
}

/** A provider's verifier with the rules every source shares applied to what it accepts. */
export function withEventRules(verifier: Verifier, rules: EventRules): Verifier {
  return {
    credentialHeaders: verifier.credentialHeaders,
    acceptsContentType: (contentType) => verifier.acceptsContentType(contentType),
    ...(verifier.handshake && { handshake: verifier.handshake }),
    ...(verifier.answersUnsignedPost && { answersUnsignedPost: true }),
    verify(request) {
      const result = verifier.verify(request);
      return result instanceof Promise
        ? result.then((settled) => applyRules(settled, rules))
        : applyRules(result, rules);
    },
  };
}

function applyRules(result: Verification, rules: EventRules): Verification {
  if (result.kind !== 'event') return result;
  if (rules.batch) {
    return splitBatch(result.event.body, rules.batch, {
      maxEvents: rules.limits.maxBatchEvents,
      restampedFields: rules.restampedFields,
      problemOf: (event) => limitProblem(event, rules.limits),
    });
  }
  const problem = limitProblem(result.event, rules.limits);
  if (problem !== undefined) return reject('malformed_body', problem);
  const { signedContentSha256, ...event } = result.event;
  const comparable =
    rules.restampedFields.length === 0
      ? {}
      : { comparableSha256: digestWithout(event.body, rules.restampedFields) };
  if (rules.dedupeBySignedContent || signedContentSha256 === undefined) {
    return accept({ ...result.event, ...comparable });
  }
  return accept({ ...event, ...comparable });
}
