import { randomUUID } from 'node:crypto';
import { hex, json, type Sample, type SignedSample } from './model.ts';
import { standardWebhooksSampleSignature } from './public-key-samples.ts';
import { githubSignature, linearSignature, shopifySignature, slackSignature } from './signers.ts';

export function standardWebhooks(s: Sample): SignedSample {
  const id = s.id ?? `msg_${hex(12)}`;
  const body = JSON.stringify({
    type: s.type ?? 'user.created',
    timestamp: s.at.toISOString(),
    data: s.data ?? { id: `user_${hex(8)}`, email_addresses: [] },
  });
  return json(
    s,
    {
      'webhook-id': id,
      'webhook-timestamp': String(s.seconds),
      'webhook-signature': standardWebhooksSampleSignature(s.source.secret, id, s.seconds, body),
    },
    body,
  );
}

export function github(s: Sample): SignedSample {
  const body = JSON.stringify(s.data ?? { zen: 'Keep it logically awesome.', hook_id: 1 });
  return json(
    s,
    {
      'X-GitHub-Event': s.type ?? 'ping',
      'X-GitHub-Delivery': s.id ?? randomUUID(),
      'X-Hub-Signature-256': githubSignature(s.source.secret, body),
    },
    body,
  );
}

export function shopify(s: Sample): SignedSample {
  const body = JSON.stringify(s.data ?? { id: Number.parseInt(hex(4), 16), currency: 'USD' });
  return json(
    s,
    {
      'X-Shopify-Topic': s.type ?? 'orders/create',
      'X-Shopify-Event-Id': s.id ?? randomUUID(),
      'X-Shopify-Webhook-Id': randomUUID(),
      'X-Shopify-Shop-Domain': 'example.myshopify.com',
      'X-Shopify-Triggered-At': s.at.toISOString(),
      'X-Shopify-Hmac-Sha256': shopifySignature(s.source.secret, body),
    },
    body,
  );
}

export function slack(s: Sample): SignedSample {
  const body = JSON.stringify({
    type: 'event_callback',
    event_id: s.id ?? `Ev${hex(6).toUpperCase()}`,
    event_time: s.seconds,
    event: { type: s.type ?? 'app_mention', ...(s.data ?? { text: 'hello' }) },
  });
  return json(
    s,
    {
      'X-Slack-Request-Timestamp': String(s.seconds),
      'X-Slack-Signature': slackSignature(s.source.secret, s.seconds, body),
    },
    body,
  );
}

export function linear(s: Sample): SignedSample {
  const type = s.type ?? 'Issue';
  const body = JSON.stringify({
    action: 'create',
    type,
    data: s.data ?? { id: randomUUID(), title: 'Sample issue' },
    createdAt: s.at.toISOString(),
    webhookTimestamp: s.at.getTime(),
    webhookId: randomUUID(),
  });
  return json(
    s,
    {
      'Linear-Delivery': s.id ?? randomUUID(),
      'Linear-Event': type,
      'Linear-Signature': linearSignature(s.source.secret, body),
    },
    body,
  );
}
