import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixture, incoming, reasonOf, verifier } from './support.ts';

const CLIENT_STATE = 'graph-client-state-0123456789abcdef';
const PREVIOUS_CLIENT_STATE = 'graph-previous-client-state';
const template = fixture('microsoft-graph-created.json').toString('utf8');

/** The fixture's notification with `clientState` set as the subscription was made. */
const notification = (clientState: string) =>
  Buffer.from(template.replace('CLIENT_STATE', clientState));

const post = (body: Buffer, url = '/webhooks/graph') =>
  incoming({ url, headers: { 'content-type': 'application/json' }, body });

const graph = verifier('microsoft-graph', [PREVIOUS_CLIENT_STATE, CLIENT_STATE]);

describe('microsoft graph', () => {
  it("answers a subscription's validation with its token, as text", () => {
    const token =
      'Validation: Testing client application reachability for subscription Request-Id: 1';
    const url = `/webhooks/graph?validationToken=${encodeURIComponent(token)}`;
    const request = incoming({
      url,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: Buffer.alloc(0),
    });
    expect(graph.verify(request)).toEqual({ kind: 'respond', body: token });
    expect(graph.acceptsContentType('text/plain; charset=utf-8')).toBe(true);
    expect(graph.acceptsContentType('')).toBe(true);
    expect(graph.acceptsContentType('application/x-www-form-urlencoded')).toBe(false);
  });

  it('accepts a notification whose clientState is a secret, and stores it without it', () => {
    const body = notification(CLIENT_STATE);
    const result = graph.verify(post(body));
    const { clientState: _secret, ...stored } = JSON.parse(body.toString('utf8')).value[0];
    const digest = createHash('sha256').update(JSON.stringify(stored)).digest('hex');
    expect(result).toMatchObject({
      kind: 'event',
      event: { eventId: digest, eventType: 'created' },
    });
    if (result.kind !== 'event') return;
    expect(result.event.body).not.toContain(CLIENT_STATE);
    expect(JSON.parse(result.event.body)).toMatchObject({
      changeType: 'created',
      subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
    });
    expect(graph.verify(post(notification(PREVIOUS_CLIENT_STATE))).kind).toBe('event');
  });

  it('refuses a wrong or missing clientState, in any one notification of the body', () => {
    expect(reasonOf(graph.verify(post(notification('a-guess'))))).toBe('no_matching_secret');
    expect(
      reasonOf(
        graph.verify(post(Buffer.from(template.replace(/"clientState": ?"CLIENT_STATE",/, '')))),
      ),
    ).toBe('missing_signature');
    const good = JSON.parse(notification(CLIENT_STATE).toString('utf8'));
    const mixed = { value: [...good.value, { ...good.value[0], clientState: 'a-guess' }] };
    expect(reasonOf(graph.verify(post(Buffer.from(JSON.stringify(mixed)))))).toBe(
      'no_matching_secret',
    );
  });

  it('refuses a body with no notifications, never echoing the clientState', () => {
    for (const body of ['{"value":[]}', '{"value":{}}', '{}', '[1]']) {
      const result = graph.verify(post(Buffer.from(body)));
      expect(reasonOf(result)).toBe('malformed_body');
      expect(JSON.stringify(result)).not.toContain(CLIENT_STATE);
    }
  });

  it('names a lifecycle notification by its lifecycle event', () => {
    const lifecycle = {
      value: [
        {
          subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
          lifecycleEvent: 'reauthorizationRequired',
          clientState: CLIENT_STATE,
        },
      ],
    };
    expect(graph.verify(post(Buffer.from(JSON.stringify(lifecycle))))).toMatchObject({
      event: { eventType: 'reauthorizationRequired' },
    });
  });

  it('has no credential header and no GET handshake', () => {
    expect(graph.credentialHeaders).toEqual([]);
    expect(graph.handshake).toBeUndefined();
  });
});
