import { describe, expect, it } from 'vitest';
import { slackSignature } from './signers.ts';
import { fixture, incoming, NOW, reasonOf, secondsFrom, unixSeconds, verifier } from './support.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const slack = verifier('slack', [SECRET]);
const challenge = fixture('slack-url_verification.json');

const FORM = 'application/x-www-form-urlencoded';

function signed(
  body: Buffer | string,
  at = NOW,
  secret = SECRET,
  contentType = 'application/json',
) {
  const headers = {
    'Content-Type': contentType,
    'X-Slack-Request-Timestamp': String(unixSeconds(at)),
    'X-Slack-Signature': slackSignature(secret, unixSeconds(at), body),
  };
  return incoming({ headers, body: Buffer.from(body), url: '/webhooks/slack' });
}

describe('slack', () => {
  it("verifies Slack's documented example, a slash command, on its raw form bytes", () => {
    const request = incoming(
      {
        headers: {
          'Content-Type': FORM,
          'X-Slack-Request-Timestamp': '1531420618',
          'X-Slack-Signature':
            'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
        },
        body: fixture('slack-slash-command.form'),
        url: '/webhooks/slack',
      },
      new Date(1531420618 * 1000 + 30_000),
    );
    const result = slack.verify(request);
    expect(result).toMatchObject({
      kind: 'event',
      event: {
        eventId: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
        eventType: '/webhook-collect',
      },
    });
    if (result.kind !== 'event') return;
    expect(JSON.parse(result.event.body)).toMatchObject({
      command: '/webhook-collect',
      text: '',
      response_url:
        'https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN',
    });
  });

  it('stores the JSON of an interaction, not the form around it', () => {
    const payload = '{"type":"view_submission","trigger_id":"1.2.abc","view":{"id":"V1"}}';
    const result = slack.verify(
      signed(`payload=${encodeURIComponent(payload)}`, NOW, SECRET, FORM),
    );
    expect(result).toMatchObject({
      kind: 'event',
      event: { eventId: '1.2.abc', eventType: 'view_submission', body: payload },
    });
  });

  it.each([
    ['a payload that is not JSON', 'payload=%7Bnope'],
    ['two payloads', 'payload=%7B%7D&payload=%7B%7D'],
    ['neither a payload nor a command', 'team_id=T1&user_id=U1'],
    ['an escape that is not UTF-8', 'command=%2Fx&text=%FF&trigger_id=1'],
  ])('answers 400 for a verified form with %s', (_name, body) => {
    expect(reasonOf(slack.verify(signed(body, NOW, SECRET, FORM)))).toBe('malformed_body');
  });

  it("answers Slack's ssl_check to a slash command's URL, and stores nothing", () => {
    const result = slack.verify(signed('ssl_check=1&token=x', NOW, SECRET, FORM));
    expect(result).toEqual({ kind: 'respond', body: {} });
  });

  it('answers the url_verification challenge, and stores nothing', () => {
    expect(slack.verify(signed(challenge))).toEqual({
      kind: 'respond',
      body: { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' },
    });
  });

  it('verifies a challenge before answering it', () => {
    expect(reasonOf(slack.verify(signed(challenge, NOW, 'not-the-secret')))).toBe(
      'no_matching_secret',
    );
    expect(reasonOf(slack.verify(signed(challenge, secondsFrom(NOW, -301))))).toBe(
      'stale_timestamp',
    );
  });

  it('names an envelope without event_id by its bytes, and its type by `type`', () => {
    const body =
      '{"token":"x","type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820,"api_app_id":"A1"}';
    const result = slack.verify(signed(body));
    expect(result).toMatchObject({ kind: 'event', event: { eventType: 'app_rate_limited' } });
    if (result.kind === 'event') expect(result.event.eventId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a timestamp that is not unix seconds', () => {
    const request = signed(fixture('slack-event_callback.json'));
    const headers = { ...request.headers, 'x-slack-request-timestamp': '2026-06-01T12:00:00Z' };
    expect(reasonOf(slack.verify({ ...request, headers }))).toBe('malformed_signature');
  });
});
