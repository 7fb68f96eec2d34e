import { randomBytes, randomUUID } from 'node:crypto';
import {
  formatTimestamp,
  genericSignature,
  type Options,
  option,
  renderTemplate,
  setPath,
} from './generic.ts';
import {
  basicAuthorization,
  githubSignature,
  lemonSqueezySignature,
  linearSignature,
  paddleSignature,
  shopifySignature,
  slackSignature,
  squareSignature,
  standardWebhooksSignature,
  stripeSignature,
  twilioSignature,
} from './signers.ts';

/** A source as the sources file describes it, with the secret to sign with resolved. */
export interface SourceToSign {
  readonly name: string;
  readonly provider: string;
  readonly secret: string;
  readonly options?: Options | undefined;
}

/** What to send; every field has a sample default. */
export interface SampleEvent {
  readonly id?: string | undefined;
  readonly type?: string | undefined;
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

export interface SignedSample {
  /** Path (and query) to POST to on the ingress. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type SampleResult =
  | { readonly ok: true; readonly request: SignedSample }
  | { readonly ok: false; readonly error: string };

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const JSON_TYPE = { 'Content-Type': 'application/json' };

interface Sample {
  readonly source: SourceToSign;
  readonly options: Options;
  readonly id: string | undefined;
  readonly type: string | undefined;
  readonly data: Readonly<Record<string, unknown>> | undefined;
  readonly at: Date;
  readonly seconds: number;
  readonly path: string;
}

type Signer = (sample: Sample) => SignedSample;

const json = (sample: Sample, headers: Record<string, string>, body: string): SignedSample => ({
  path: sample.path,
  headers: { ...JSON_TYPE, ...headers },
  body,
});

function stripe(s: Sample): SignedSample {
  const body = JSON.stringify({
    id: s.id ?? `evt_${hex(12)}`,
    object: 'event',
    type: s.type ?? 'payment_intent.succeeded',
    created: s.seconds,
    livemode: false,
    data: {
      object: s.data ?? {
        id: `pi_${hex(12)}`,
        object: 'payment_intent',
        amount: 4900,
        amount_received: 4900,
        currency: 'usd',
        customer: 'cus_1',
        status: 'succeeded',
      },
    },
  });
  return json(s, { 'Stripe-Signature': stripeSignature(s.source.secret, s.seconds, body) }, body);
}

function standardWebhooks(s: Sample): SignedSample {
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
      'webhook-signature': standardWebhooksSignature(s.source.secret, id, s.seconds, body),
    },
    body,
  );
}

function github(s: Sample): SignedSample {
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

function shopify(s: Sample): SignedSample {
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

function slack(s: Sample): SignedSample {
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

function twilio(s: Sample): SignedSample {
  const sid = `SM${hex(16)}`;
  const status = s.type?.startsWith('message.') ? s.type.slice('message.'.length) : 'received';
  const params: Record<string, string> = {
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: `AC${hex(16)}`,
    From: '+15558675310',
    To: '+15551234567',
    Body: 'Hello from webhook-inbox',
    NumMedia: '0',
    SmsStatus: status,
    ...Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, String(v)])),
  };
  const typeField = option(s.options, 'typeField');
  if (typeField !== undefined && s.type !== undefined) params[typeField] = s.type;
  const base = option(s.options, 'publicUrl', '').replace(/\/+$/, '');
  return {
    path: s.path,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'I-Twilio-Idempotency-Token': s.id ?? randomUUID(),
      'X-Twilio-Signature': twilioSignature(s.source.secret, `${base}${s.path}`, params),
    },
    body: new URLSearchParams(params).toString(),
  };
}

function paddle(s: Sample): SignedSample {
  const body = JSON.stringify({
    event_id: s.id ?? `evt_${hex(12)}`,
    event_type: s.type ?? 'transaction.completed',
    occurred_at: s.at.toISOString(),
    notification_id: `ntf_${hex(12)}`,
    data: s.data ?? { id: `txn_${hex(12)}`, status: 'completed' },
  });
  return json(s, { 'Paddle-Signature': paddleSignature(s.source.secret, s.seconds, body) }, body);
}

function linear(s: Sample): SignedSample {
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

function lemonSqueezy(s: Sample): SignedSample {
  const type = s.type ?? 'order_created';
  // Lemon Squeezy's event ID is the body's digest: the sample's ID goes in its custom data.
  const body = JSON.stringify({
    meta: { event_name: type, custom_data: { sample_id: s.id ?? hex(8) } },
    data: s.data ?? { type: 'orders', id: String(Number.parseInt(hex(3), 16)) },
  });
  return json(
    s,
    { 'X-Event-Name': type, 'X-Signature': lemonSqueezySignature(s.source.secret, body) },
    body,
  );
}

function square(s: Sample): SignedSample {
  const body = JSON.stringify({
    merchant_id: 'MERCHANT_SAMPLE',
    type: s.type ?? 'payment.updated',
    event_id: s.id ?? randomUUID(),
    created_at: s.at.toISOString(),
    data: s.data ?? { type: 'payment', id: hex(8) },
  });
  const url = option(s.options, 'notificationUrl', '');
  return json(
    s,
    { 'X-Square-HmacSha256-Signature': squareSignature(s.source.secret, url, body) },
    body,
  );
}

const PAYMENT = { customer_id: 'cus_1', amount: 4900, currency: 'INR' };

/** The body and naming headers of the configurable providers: ID and type where configured. */
function namedEvent(s: Sample) {
  const id = s.id ?? `evt_${hex(8)}`;
  const type = s.type ?? 'payment.succeeded';
  const body: Record<string, unknown> = { data: s.data ?? PAYMENT };
  const headers: Record<string, string> = {};
  const idHeader = option(s.options, 'idHeader');
  if (idHeader === undefined) setPath(body, option(s.options, 'idField', 'id'), id);
  else headers[idHeader] = id;
  const typeHeader = option(s.options, 'typeHeader');
  if (typeHeader !== undefined) headers[typeHeader] = type;
  else if (option(s.options, 'eventType') === undefined) {
    setPath(body, option(s.options, 'typeField', 'type'), type);
  }
  return { id, body, headers };
}

function hmac(s: Sample): SignedSample {
  const { id, body, headers } = namedEvent(s);
  const format = option(s.options, 'timestampFormat', 'auto');
  const timestampField = option(s.options, 'timestampField');
  if (timestampField !== undefined)
    setPath(body, timestampField, formatTimestamp(s.at, format, true));
  const text = JSON.stringify(body);
  const timestamp = String(formatTimestamp(s.at, format, false));
  const timestampHeader = option(s.options, 'timestampHeader');
  if (timestampHeader !== undefined) headers[timestampHeader] = timestamp;
  const publicUrl = option(s.options, 'publicUrl');
  const message = renderTemplate(option(s.options, 'signed', '{body}'), {
    body: text,
    timestamp,
    id,
    url: publicUrl === undefined ? undefined : `${publicUrl.replace(/\/+$/, '')}${s.path}`,
  });
  const signature = genericSignature({
    secret: s.source.secret,
    algorithm: option(s.options, 'algorithm', 'sha256'),
    encoding: option(s.options, 'encoding', 'hex') === 'base64' ? 'base64' : 'hex',
    message,
  });
  const header = option(s.options, 'header', 'x-signature');
  headers[header] = `${option(s.options, 'prefix', 'sha256=')}${signature}`;
  return json(s, headers, text);
}

function apiKey(s: Sample): SignedSample {
  const { body, headers } = namedEvent(s);
  const header = option(s.options, 'header', 'authorization');
  headers[header] = `${option(s.options, 'prefix', 'ApiKey ')}${s.source.secret}`;
  return json(s, headers, JSON.stringify(body));
}

function basicAuth(s: Sample): SignedSample {
  const { body, headers } = namedEvent(s);
  headers.Authorization = basicAuthorization(s.source.secret);
  return json(s, headers, JSON.stringify(body));
}

/** Every provider in docs/providers.md, signing as that provider's sender does. */
export const SIGNERS: Readonly<Record<string, Signer>> = {
  stripe,
  'standard-webhooks': standardWebhooks,
  github,
  shopify,
  slack,
  twilio,
  paddle,
  linear,
  'lemon-squeezy': lemonSqueezy,
  square,
  hmac,
  'api-key': apiKey,
  'basic-auth': basicAuth,
};

/** A sample event for `source`, signed with its secret and options as its provider would at `at`. */
export function signSample(
  source: SourceToSign,
  event: SampleEvent,
  at = new Date(),
): SampleResult {
  const signer = SIGNERS[source.provider];
  if (!signer) return { ok: false, error: `no sample signer for provider "${source.provider}"` };
  const request = signer({
    source,
    options: source.options ?? {},
    id: event.id,
    type: event.type,
    data: event.data,
    at,
    seconds: Math.floor(at.getTime() / 1000),
    path: `/webhooks/${source.name}`,
  });
  return { ok: true, request };
}
