import { describe, expect, it } from 'vitest';
import { slackSignature } from './signers.ts';
import { fixture, incoming, NOW, reasonOf, secondsFrom, unixSeconds, verifier } from './support.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const slack = verifier('slack', [SECRET]);
const challenge = fixture('slack-url_verification.json');

function signed(body: Buffer | string, at = NOW, secret = SECRET) {
  const headers = {
    'X-Slack-Request-Timestamp': String(unixSeconds(at)),
    'X-Slack-Signature': slackSignature(secret, unixSeconds(at), body),
  };
  return incoming({ headers, body: Buffer.from(body), url: '/webhooks/slack' });
}

describe('slack', () => {
  it("verifies Slack's documented example (a slash-command form body, so then a 400, not a 401)", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const request = incoming(
      {
        headers: {
          'X-Slack-Request-Timestamp': '1531420618',
          'X-Slack-Signature':
            'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
        },
        body: Buffer.from(body),
        url: '/webhooks/slack',
      },
      new Date(1531420618 * 1000 + 30_000),
    );
    expect(slack.verify(request)).toMatchObject({ kind: 'rejected', reason: 'malformed_body' });
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
