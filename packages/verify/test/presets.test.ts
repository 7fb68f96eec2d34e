import {
  muxSignature,
  pagerDutySignature,
  personaSignature,
  workosSignature,
} from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { muxBody, pagerDutyBody, personaBody } from './cases/presets.ts';
import { incoming, NOW, reasonOf, unixSeconds, verifier } from './support.ts';

const request = (headers: Record<string, string>, body: Buffer, url: string) =>
  incoming({ headers: { 'Content-Type': 'application/json', ...headers }, body, url });

describe('pagerduty', () => {
  const secrets = ['pd_new_secret', 'pd_old_secret'];
  const check = (signature: string, accepted: readonly string[]) =>
    verifier('pagerduty', accepted).verify(
      request({ 'X-PagerDuty-Signature': signature }, pagerDutyBody, '/webhooks/pd'),
    );

  it('accepts any v1 while a secret is rotated, whichever of ours signed it', () => {
    const both = pagerDutySignature(secrets, pagerDutyBody);
    expect(check(both, ['pd_new_secret']).kind).toBe('event');
    expect(check(both, ['pd_old_secret']).kind).toBe('event');
    expect(reasonOf(check(both, ['pd_third_secret']))).toBe('no_matching_secret');
  });

  it('skips versions it does not know', () => {
    const [fresh, stale] = secrets.map((s) => pagerDutySignature([s], pagerDutyBody));
    expect(check(`v0=abcd,${stale},${fresh}`, ['pd_new_secret']).kind).toBe('event');
  });
});

describe('workos', () => {
  it('reads its header as WorkOS writes it, with a space after the comma', () => {
    const body = Buffer.from('{"id":"event_1","event":"user.created","data":{}}');
    const signature = workosSignature('w_secret', NOW.getTime(), body);
    expect(signature).toMatch(/^t=\d+, v1=[0-9a-f]{64}$/);
    const result = verifier('workos', ['w_secret']).verify(
      request({ 'WorkOS-Signature': signature }, body, '/webhooks/workos'),
    );
    expect(result).toMatchObject({ kind: 'event', event: { eventId: 'event_1' } });
  });

  it('reads the timestamp as milliseconds: seconds are 56 years stale', () => {
    const body = Buffer.from('{"id":"event_2","event":"user.created","data":{}}');
    const inSeconds = workosSignature('w_secret', unixSeconds(NOW), body);
    const result = verifier('workos', ['w_secret']).verify(
      request({ 'WorkOS-Signature': inSeconds }, body, '/webhooks/workos'),
    );
    expect(reasonOf(result)).toBe('stale_timestamp');
  });
});

describe('mux', () => {
  it('refuses a signature header with two timestamps', () => {
    const signature = muxSignature('m_secret', unixSeconds(NOW), muxBody);
    const result = verifier('mux', ['m_secret']).verify(
      request({ 'Mux-Signature': `t=1,${signature}` }, muxBody, '/webhooks/mux'),
    );
    expect(reasonOf(result)).toBe('malformed_signature');
  });
});

describe('persona', () => {
  const check = (signature: string, accepted: readonly string[]) =>
    verifier('persona', accepted).verify(
      request({ 'Persona-Signature': signature }, personaBody, '/webhooks/persona'),
    );

  it('accepts either space-separated pair while a secret is rotated', () => {
    const both = personaSignature(['p_new', 'p_old'], unixSeconds(NOW), personaBody);
    expect(both).toMatch(/^t=\d+,v1=[0-9a-f]{64} t=\d+,v1=[0-9a-f]{64}$/);
    expect(check(both, ['p_new']).kind).toBe('event');
    expect(check(both, ['p_old']).kind).toBe('event');
    expect(reasonOf(check(both, ['p_third']))).toBe('no_matching_secret');
  });

  it('refuses pairs with two different timestamps', () => {
    const fresh = personaSignature(['p_new'], unixSeconds(NOW), personaBody);
    const older = personaSignature(['p_old'], unixSeconds(NOW) - 1, personaBody);
    expect(reasonOf(check(`${fresh} ${older}`, ['p_new']))).toBe('malformed_signature');
  });

  it('refuses a pair whose comma became a space: a space only ever starts the next pair', () => {
    const signature = personaSignature(['p_new'], unixSeconds(NOW), personaBody);
    expect(reasonOf(check(signature.replace(',', ' '), ['p_new']))).toBe('malformed_signature');
  });
});
