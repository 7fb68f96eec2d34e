import type { ImmediateVerifier, RejectionReason, Verification } from '../types.ts';

/** The more a rejection says about the request, the sooner it is the one reported. */
const TELLING: readonly RejectionReason[] = [
  'missing_signature',
  'malformed_signature',
  'no_matching_secret',
  'malformed_body',
  'stale_timestamp',
];

const telling = (result: Verification) =>
  result.kind === 'rejected' ? TELLING.indexOf(result.reason) : TELLING.length;

/**
 * A source verified by any of several schemes at once (Standard Webhooks with a symmetric
 * secret and a public key during a move between them): the first that accepts wins, else the
 * rejection that says most (a matched but stale signature over no signature at all).
 */
export function anyOf(verifiers: readonly ImmediateVerifier[]): ImmediateVerifier {
  return {
    credentialHeaders: [...new Set(verifiers.flatMap((verifier) => verifier.credentialHeaders))],
    acceptsContentType: (type) => verifiers.some((verifier) => verifier.acceptsContentType(type)),
    verify(request) {
      let best: Verification | undefined;
      for (const verifier of verifiers) {
        const result = verifier.verify(request);
        if (result.kind !== 'rejected') return result;
        if (best === undefined || telling(result) > telling(best)) best = result;
      }
      if (best === undefined) throw new Error('anyOf needs at least one verifier');
      return best;
    },
  };
}
