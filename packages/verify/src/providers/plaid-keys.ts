import { createPublicKey, type KeyObject } from 'node:crypto';
import { type FetchKey, isFailingStatus, KeyHostFailing } from '../engine/key-cache.ts';

/** Plaid's API, which answers for the keys of a client ID given its secret. */
export const PLAID_KEY_URL = 'https://production.plaid.com/webhook_verification_key/get';

interface PlaidKeyAnswer {
  readonly key?: {
    readonly kty?: unknown;
    readonly crv?: unknown;
    readonly kid?: unknown;
    readonly expired_at?: unknown;
  };
}

/** Plaid's error answers carry a code worth logging; their bodies never echo the secret. */
async function errorCode(response: Response): Promise<string> {
  try {
    const { error_code: code } = (await response.json()) as { error_code?: unknown };
    return typeof code === 'string' ? ` (${code.slice(0, 64)})` : '';
  } catch {
    return '';
  }
}

/**
 * `POST /webhook_verification_key/get {client_id, secret, key_id}` answers `{key: <JWK>}`.
 * Errors say what the endpoint answered, never what was sent: the body holds the secret.
 */
export function plaidKeyFetcher(url: string, clientId: string, secret: string): FetchKey {
  return async (keyId, signal): Promise<KeyObject> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: clientId, secret, key_id: keyId }),
      signal,
    });
    if (!response.ok) {
      const Failure = isFailingStatus(response.status) ? KeyHostFailing : Error;
      throw new Failure(
        `the key endpoint answered HTTP ${response.status}${await errorCode(response)}`,
      );
    }
    const { key } = (await response.json()) as PlaidKeyAnswer;
    if (key?.kty !== 'EC' || key.crv !== 'P-256' || key.kid !== keyId) {
      throw new Error('the key endpoint answered no P-256 key with the ID asked for');
    }
    // Plaid rotates keys: one it has expired must no longer verify anything.
    if (key.expired_at !== null && key.expired_at !== undefined) {
      throw new Error('the key endpoint says that key has expired');
    }
    return createPublicKey({ key: key as { kty: 'EC' }, format: 'jwk' });
  };
}
