import type { SampleEvent, SampleResult, SourceToSign } from '@webhook-inbox/signing';
import { providerNamed } from './registry.ts';

/** A sample event for `source`, signed with its secret and options as its provider would at `at`. */
export function signSample(
  source: SourceToSign,
  event: SampleEvent,
  at = new Date(),
): SampleResult {
  const provider = providerNamed(source.provider);
  if (!provider) return { ok: false, error: `no sample signer for provider "${source.provider}"` };
  const request = provider.sample({
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
}
