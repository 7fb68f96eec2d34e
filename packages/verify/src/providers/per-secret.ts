import type { ImmediateVerifier, Verification } from '../types.ts';

const isWrongSecret = (result: Verification) =>
  result.kind === 'rejected' && result.reason === 'no_matching_secret';

/**
 * One verifier per secret, for a sender whose answer is keyed by the secret that signed the
 * request (Zoom encrypts its validation token with it): the first whose secret matches
 * decides, so during a rotation the answer is made with the secret the sender holds.
 */
export function firstMatchingSecret(verifiers: readonly ImmediateVerifier[]): ImmediateVerifier {
  const [first] = verifiers;
  if (!first) throw new Error('needs at least one secret');
  return {
    credentialHeaders: first.credentialHeaders,
    acceptsContentType: (contentType) => first.acceptsContentType(contentType),
    verify(request) {
      let result = first.verify(request);
      for (const verifier of verifiers.slice(1)) {
        if (!isWrongSecret(result)) return result;
        result = verifier.verify(request);
      }
      return result;
    },
  };
}
