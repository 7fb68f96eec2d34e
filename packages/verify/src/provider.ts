import type { Signer } from '@webhook-inbox/signing';
import type { z } from 'zod';
import type { JsonObject } from './body.ts';
import type { HandshakeAnswer, Verifier } from './types.ts';

/**
 * What checks a provider's signer and verifier besides our own tests: npm packages the tests
 * run against them (the provider's SDK, or a library of the same construction), the provider's
 * published example or receiver code reproduced in a test, or nothing. `oracles.test.ts` fails
 * when a claim names a package no test of the provider imports.
 */
export type Oracle =
  | { readonly sdk: readonly [string, ...string[]] }
  | { readonly documented: 'test vector' | 'receiver code' }
  | 'none';

/** A provider's row in the providers table (docs/providers.md and the README). */
export interface ProviderDocs {
  /** Who sends with it, when its name alone does not say. */
  readonly senders?: string;
  /** The sources-file entry a user copies; `provider` is added from the module's name. */
  readonly entry: Readonly<Record<string, unknown>>;
  readonly verified: string;
  readonly replayWindow: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly oracle: Oracle;
}

/** A verified request the provider wants answered directly and never stored. */
export interface Handshake {
  /** What it is, for the docs: Slack's `url_verification`, … */
  readonly description: string;
  /** The answer's JSON body, or undefined when the request is an event to store. */
  answer(json: JsonObject): Readonly<Record<string, unknown>> | undefined;
}

/** One event of a batched body: the JSON object it stores, and that object's JSON text. */
export interface BatchItem {
  readonly json: JsonObject;
  readonly text: string;
  /** The body without its list of events (Meta's `object`, Adyen's `live`), or undefined. */
  readonly envelope: JsonObject | undefined;
}

/**
 * How a provider's verified body carries several events (SendGrid's array, Adyen's
 * `notificationItems[]`): each becomes its own row, named and deduplicated like a single event.
 */
export interface Batch {
  /**
   * The events of a verified body, each a JSON object, with the envelope they came in; a string
   * says why the body is not a batch of this shape (the 400's detail).
   */
  split(
    body: unknown,
  ): { readonly items: readonly unknown[]; readonly envelope?: JsonObject } | string;
  /** An item's event ID, or undefined when it has none (then the request is refused). */
  eventId(item: BatchItem): string | undefined;
  eventType(item: BatchItem): string | undefined;
  /** What a body with no events gets: acked with nothing stored, or refused as malformed. */
  readonly whenEmpty: 'acked' | 'refused';
  /** The body the provider requires of the acknowledgement (Adyen's `[accepted]`). */
  readonly reply?: HandshakeAnswer;
  /** For the docs: what one event is, and why the empty batch is answered as it is. */
  readonly docs: { readonly item: string; readonly empty: string };
}

/**
 * Everything that is one provider, in its module: the registry, the CLI's `send`, the logger's
 * redaction list, retention's choice of keys and the providers table are read from these.
 */
export interface ProviderModule<Name extends string, Options extends z.ZodType> {
  /** The `provider` of a sources-file entry. */
  readonly name: Name;
  /** Strict: a typo in a sources file stops start-up. */
  readonly options: Options;
  /** Builds the verifier; it names each event by the provider's ID and type rules. */
  readonly verifier: (options: z.output<Options>, secrets: readonly string[]) => Verifier;
  /** Headers (lower-case) that carry its credential under its default options. */
  readonly credentialHeaders: readonly string[];
  /**
   * Whether every request must carry a signed timestamp inside a window no option turns off:
   * then a replay older than that fails anyway, and retention may drop its dedupe keys.
   */
  readonly signedTimestamp: boolean;
  /** Body fields (JSON paths) the sender re-stamps on every retry of one event. */
  readonly restampedFields?: readonly string[];
  /** Set when one request carries several events: each is stored as its own row. */
  readonly batch?: Batch;
  /** What the docs say of its handshake; the verifier answers it (`respond`, or a GET's). */
  readonly handshake?: Pick<Handshake, 'description'>;
  /**
   * Signs a sample event as the provider's sender would (`webhook-inbox send`, tests). Absent
   * where no sample can be signed locally (Plaid signs with a key only its API serves).
   */
  readonly sample?: Signer;
  /** A secret of the shape the provider needs, to build it in tests; `a-secret` if any will do. */
  readonly sampleSecret?: string;
  /** Options it cannot be built without, for tests; the docs entry usually shows the same. */
  readonly requiredOptions?: Readonly<Record<string, unknown>>;
  /** Options its sample verifies under, where they differ from `requiredOptions` (a pinned certificate). */
  readonly sampleOptions?: Readonly<Record<string, unknown>>;
  readonly docs: ProviderDocs;
}

/** A provider module with its option types erased, as the registry holds it. */
export interface Provider<Name extends string = string>
  extends Omit<ProviderModule<Name, z.ZodType>, 'verifier' | 'restampedFields'> {
  /** Validates `options` (throws a z.ZodError) and builds the verifier. */
  create(options: unknown, secrets: readonly string[]): Verifier;
  readonly restampedFields: readonly string[];
}

/** Ties a schema to the builder of its verifier: the builder sees exactly what the schema yields. */
export function defineProvider<const Name extends string, Options extends z.ZodType>(
  module: ProviderModule<Name, Options>,
): Provider<Name> {
  const { verifier, options, restampedFields = [], ...rest } = module;
  return {
    ...rest,
    options,
    restampedFields,
    create: (raw, secrets) => verifier(options.parse(raw ?? {}), secrets),
  };
}
