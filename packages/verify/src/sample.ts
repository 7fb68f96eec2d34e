import {
  CannotSign,
  HANDSHAKES,
  type SampleEvent,
  type SampleResult,
  type Signer,
  type SourceToSign,
} from '@webhook-inbox/signing';
import { providerNamed } from './registry.ts';

function signWith(
  signer: Signer | undefined,
  missing: string,
  source: SourceToSign,
  event: SampleEvent,
  at: Date,
): SampleResult {
  if (!signer) return { ok: false, error: missing };
  try {
    const request = signer({
      source,
      options: source.options ?? {},
      id: event.id,
      type: event.type,
      data: event.data,
      at,
      seconds: Math.floor(at.getTime() / 1000),
      path: `/webhooks/${source.name}`,
    });
    return { ok: true, request };
  } catch (error) {
    if (error instanceof CannotSign) return { ok: false, error: error.message };
    throw error;
  }
}

/** A sample event for `source`, signed with its secret and options as its provider would at `at`. */
export const signSample = (source: SourceToSign, event: SampleEvent, at = new Date()) =>
  signWith(
    providerNamed(source.provider)?.sample,
    `no sample signer for provider "${source.provider}"`,
    source,
    event,
    at,
  );

/** The request `source`'s provider sends to check a new URL, as it would send it at `at`. */
export const signHandshake = (source: SourceToSign, at = new Date()) =>
  signWith(
    HANDSHAKES[source.provider],
    `provider "${source.provider}" sends no handshake: send an event instead`,
    source,
    {},
    at,
  );
