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
export function signSample(source: SourceToSign, event: SampleEvent, at = new Date()) {
  const provider = providerNamed(source.provider);
  const missing = provider
    ? `provider "${source.provider}" signs with a key only it holds, so no sample can be signed here: have ${source.provider} send a test webhook (its dashboard or sandbox)`
    : `no sample signer for provider "${source.provider}"`;
  return signWith(provider?.sample, missing, source, event, at);
}

/** The request `source`'s provider sends to check a new URL, as it would send it at `at`. */
export function signHandshake(source: SourceToSign, at = new Date()) {
  // SNS's confirmation carries a SubscribeURL the worker visits on AWS's hosts: only AWS has one.
  const missing = providerNamed(source.provider)?.handshake
    ? `provider "${source.provider}" sends a handshake only it can make: subscribe the endpoint with ${source.provider} to get one, or send an event instead`
    : `provider "${source.provider}" sends no handshake: send an event instead`;
  return signWith(HANDSHAKES[source.provider], missing, source, {}, at);
}
