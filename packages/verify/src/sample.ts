import {
  CannotSign,
  type SampleEvent,
  type SampleResult,
  type SourceToSign,
} from '@webhook-inbox/signing';
import { providerNamed } from './registry.ts';

/** A sample event for `source`, signed with its secret and options as its provider would at `at`. */
export function signSample(
  source: SourceToSign,
  event: SampleEvent,
  at = new Date(),
): SampleResult {
  const sample = providerNamed(source.provider)?.sample;
  if (!sample) return { ok: false, error: `no sample signer for provider "${source.provider}"` };
  try {
    const request = sample({
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
