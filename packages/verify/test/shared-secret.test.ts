import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.ts';
import { basicAuthorization } from './signers.ts';
import { incoming, reasonOf, verifier } from './support.ts';

const body = Buffer.from('{"id":"evt_9","type":"order.paid","kind":"k"}');
const send = (
  provider: 'api-key' | 'basic-auth',
  secrets: string[],
  headers: Record<string, string>,
  options?: Record<string, unknown>,
) => verifier(provider, secrets, options).verify(incoming({ headers, body, url: '/webhooks/x' }));

describe('api-key', () => {
  it('reads its key from any header, with any prefix', () => {
    const options = { header: 'X-Api-Key', prefix: '', idField: 'id', typeField: 'kind' };
    expect(send('api-key', ['k1'], { 'X-API-KEY': 'k1' }, options)).toMatchObject({
      event: { eventId: 'evt_9', eventType: 'k' },
    });
  });

  it('names events by header when told to', () => {
    const options = { idHeader: 'X-Delivery', typeHeader: 'X-Event' };
    const headers = { authorization: 'ApiKey k1', 'X-Delivery': 'd-1', 'X-Event': 'e' };
    expect(send('api-key', ['k1'], headers, options)).toMatchObject({
      event: { eventId: 'd-1', eventType: 'e' },
    });
  });
});

describe('basic-auth', () => {
  it('accepts user:password credentials, the scheme in any case', () => {
    expect(
      send('basic-auth', ['hook:pw'], { authorization: basicAuthorization('hook:pw') }).kind,
    ).toBe('event');
    const lower = basicAuthorization('hook:pw').replace('Basic', 'basic');
    expect(send('basic-auth', ['hook:pw'], { authorization: lower }).kind).toBe('event');
  });

  it.each([
    ['another scheme', 'Bearer aG9vazpwdw=='],
    ['a token that is not base64', 'Basic hook:pw'],
    ['nothing after the scheme', 'Basic '],
  ])('treats %s as malformed', (_name, authorization) => {
    expect(reasonOf(send('basic-auth', ['hook:pw'], { authorization }))).toBe(
      'malformed_signature',
    );
  });

  it('rejects a wrong password or a wrong user', () => {
    expect(
      reasonOf(send('basic-auth', ['hook:pw'], { authorization: basicAuthorization('hook:no') })),
    ).toBe('no_matching_secret');
    expect(
      reasonOf(send('basic-auth', ['hook:pw'], { authorization: basicAuthorization('other:pw') })),
    ).toBe('no_matching_secret');
  });

  it('refuses a secret that is not user:password, without repeating it', () => {
    expect(() => createVerifier('basic-auth', undefined, ['just-a-password'])).toThrow(
      /^basic-auth secrets must be "user:password"$/,
    );
  });
});
