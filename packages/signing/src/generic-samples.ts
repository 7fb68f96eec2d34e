import { formatTimestamp, genericSignature, option, renderTemplate, setPath } from './generic.ts';
import { hex, json, type Sample, type SignedSample } from './model.ts';
import { basicAuthorization } from './signers.ts';

/** What the example app's payments handler credits, so a sample is processed, not dead. */
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

export const genericSamples = { hmac, 'api-key': apiKey, 'basic-auth': basicAuth };
