import { randomUUID } from 'node:crypto';
import { option } from './generic.ts';
import {
  dropboxSignature,
  metaSignature,
  twitchSignature,
  zoomSignature,
} from './handshake-signers.ts';
import { hex, json, type Sample, type SignedSample } from './model.ts';

/** Sample events of the providers that also answer a handshake (see `handshakes.ts`). */

export function zoom(s: Sample): SignedSample {
  const body = JSON.stringify({
    event: s.type ?? 'meeting.started',
    event_ts: s.at.getTime(),
    payload: {
      account_id: 'AAAAAAAAAAAAAAAAAAAAAA',
      object: s.data ?? { uuid: s.id ?? hex(8), id: Number.parseInt(hex(4), 16), topic: 'Sample' },
    },
  });
  return json(
    s,
    {
      'x-zm-request-timestamp': String(s.seconds),
      'x-zm-signature': zoomSignature(s.source.secret, s.seconds, body),
    },
    body,
  );
}

/** A Twitch EventSub message of `messageType`, signed as Twitch signs it. */
export function twitchMessage(
  s: Sample,
  messageType: string,
  body: Readonly<Record<string, unknown>>,
): SignedSample {
  const id = s.id ?? randomUUID();
  const timestamp = s.at.toISOString();
  const text = JSON.stringify(body);
  return json(
    s,
    {
      'Twitch-Eventsub-Message-Id': id,
      'Twitch-Eventsub-Message-Retry': '0',
      'Twitch-Eventsub-Message-Type': messageType,
      'Twitch-Eventsub-Message-Timestamp': timestamp,
      'Twitch-Eventsub-Message-Signature': twitchSignature(s.source.secret, id, timestamp, text),
      'Twitch-Eventsub-Subscription-Type': String(
        (body.subscription as { type?: unknown } | undefined)?.type ?? '',
      ),
      'Twitch-Eventsub-Subscription-Version': '2',
    },
    text,
  );
}

export const twitchSubscription = (s: Sample, status: string) => ({
  id: randomUUID(),
  status,
  type: s.type ?? 'channel.follow',
  version: '2',
  cost: 0,
  condition: { broadcaster_user_id: '1337', moderator_user_id: '1337' },
  transport: { method: 'webhook', callback: `https://example.com${s.path}` },
  created_at: s.at.toISOString(),
});

export const twitch = (s: Sample) =>
  twitchMessage(s, 'notification', {
    subscription: twitchSubscription(s, 'enabled'),
    event: s.data ?? {
      user_id: '1234',
      user_login: 'cool_user',
      broadcaster_user_id: '1337',
      followed_at: s.at.toISOString(),
    },
  });

export function meta(s: Sample): SignedSample {
  const body = JSON.stringify({
    object: s.type ?? 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: s.data ?? {
              messaging_product: 'whatsapp',
              messages: [{ id: s.id ?? `wamid.${hex(12)}`, type: 'text', text: { body: 'hi' } }],
            },
          },
        ],
      },
    ],
  });
  return json(s, { 'X-Hub-Signature-256': metaSignature(s.source.secret, body) }, body);
}

export function dropbox(s: Sample): SignedSample {
  const body = JSON.stringify({
    list_folder: { accounts: [s.id ?? `dbid:${hex(16)}`] },
    delta: { users: [Number.parseInt(hex(3), 16)] },
  });
  return json(s, { 'X-Dropbox-Signature': dropboxSignature(s.source.secret, body) }, body);
}

/** Graph signs nothing: the secret is each notification's clientState. */
export function microsoftGraph(s: Sample): SignedSample {
  const body = JSON.stringify({
    value: [
      {
        subscriptionId: randomUUID(),
        clientState: s.source.secret,
        changeType: s.type ?? 'created',
        resource: `Users/${randomUUID()}/Messages/${s.id ?? hex(12)}`,
        subscriptionExpirationDateTime: new Date(s.at.getTime() + 3_600_000).toISOString(),
        resourceData: s.data ?? { '@odata.type': '#Microsoft.Graph.Message', id: hex(12) },
        tenantId: randomUUID(),
      },
    ],
  });
  return json(s, {}, body);
}

export function okta(s: Sample): SignedSample {
  const body = JSON.stringify({
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://example.okta.com/api/v1/eventHooks/who8example',
    eventId: s.id ?? randomUUID(),
    eventTime: s.at.toISOString(),
    contentType: 'application/json',
    data: {
      events: [
        {
          uuid: randomUUID(),
          published: s.at.toISOString(),
          eventType: s.type ?? 'user.session.start',
          displayMessage: 'User login to Okta',
          ...(s.data ?? { outcome: { result: 'SUCCESS' } }),
        },
      ],
    },
  });
  return json(s, { [option(s.options, 'header', 'Authorization')]: s.source.secret }, body);
}
