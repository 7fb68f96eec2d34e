import type { Signer } from '@webhook-inbox/signing';
import type { z } from 'zod';
import type { JsonObject } from './body.ts';
import type { Verifier } from './types.ts';

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
}

/** A verified request the provider wants answered directly and never stored. */
export interface Handshake {
  /** What it is, for the docs: Slack's `url_verification`, … */
  readonly description: string;
  /** The answer's JSON body, or undefined when the request is an event to store. */
  answer(json: JsonObject): Readonly<Record<string, unknown>> | undefined;
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
