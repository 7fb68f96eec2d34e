import { azureEventGridSample } from '@webhook-inbox/signing';
import { z } from 'zod';
import { headerValue, parseJsonBody } from '../body.ts';
import { equalsAny } from '../crypto.ts';
import { bodySha256, fixed, nameEvent } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { queryOf, singleParam } from '../query.ts';
import {
  type IncomingWebhook,
  isJsonContentType,
  reject,
  respond,
  type Verification,
  type Verifier,
} from '../types.ts';
import { arrayBody, firstOf, itemField } from './batch-shapes.ts';

/**
 * Azure Event Grid (Event Grid schema, or CloudEvents' `type`): the key is sent in `aeg-sas-key`,
 * or, with `queryParameter`, as that parameter of the endpoint URL. A new subscription is checked
 * with a `Microsoft.EventGrid.SubscriptionValidationEvent`, answered with its code.
 */
export const azureEventGridOptions = z
  .object({
    /** Read the key from this query parameter (e.g. `code`) instead of the header. */
    queryParameter: z.string().min(1).optional(),
  })
  .strict();

const KEY_HEADER = 'aeg-sas-key';
const VALIDATION = 'Microsoft.EventGrid.SubscriptionValidationEvent';

type Item = Readonly<Record<string, unknown>>;
const isItem = (value: unknown): value is Item =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The validation code when the body is Event Grid's validation event, alone. */
function validation(events: readonly unknown[]): Verification | undefined {
  const checks = events.filter((event) => isItem(event) && event.eventType === VALIDATION);
  if (checks.length === 0) return undefined;
  const [check] = checks;
  const data = isItem(check) && isItem(check.data) ? check.data : {};
  if (events.length > 1 || typeof data.validationCode !== 'string') {
    return reject('malformed_body', 'a validation event comes alone, with a validationCode');
  }
  return respond({ validationResponse: data.validationCode });
}

function verifyGrid(
  request: IncomingWebhook,
  sentKey: (request: IncomingWebhook) => string | undefined,
  secrets: readonly string[],
): Verification {
  const sent = sentKey(request);
  if (sent === undefined || sent === '') return reject('missing_signature');
  if (!equalsAny(sent, secrets)) return reject('no_matching_secret');
  const body = parseJsonBody(request.rawBody);
  if (!body.ok) return reject('malformed_body', body.detail);
  if (!Array.isArray(body.json))
    return reject('malformed_body', 'body is not a JSON array of events');
  const answer = validation(body.json);
  if (answer) return answer;
  return nameEvent(
    // The request as a whole is never stored: its batch rules name each event.
    { id: [bodySha256], type: [fixed('batch')] },
    { headers: request.headers, rawBody: request.rawBody, json: {} },
    body.text,
  );
}

function azureEventGridVerifier(
  options: z.infer<typeof azureEventGridOptions>,
  secrets: readonly string[],
): Verifier {
  const { queryParameter } = options;
  const sentKey = queryParameter
    ? (request: IncomingWebhook) => singleParam(queryOf(request.url), queryParameter)
    : (request: IncomingWebhook) => headerValue(request.headers, KEY_HEADER);
  return {
    // A key in the URL leaves no header to require before the body is read.
    credentialHeaders: queryParameter ? [] : [KEY_HEADER],
    acceptsContentType: isJsonContentType,
    verify: (request) => verifyGrid(request, sentKey, secrets),
  };
}

export const azureEventGrid = defineProvider({
  name: 'azure-event-grid',
  options: azureEventGridOptions,
  verifier: azureEventGridVerifier,
  credentialHeaders: [KEY_HEADER],
  signedTimestamp: false,
  batch: {
    split: arrayBody,
    eventId: itemField('id'),
    eventType: firstOf(itemField('eventType'), itemField('type')),
    whenEmpty: 'acked',
    docs: { item: 'each event of the array', empty: 'acked, nothing stored' },
  },
  handshake: {
    description: `\`${VALIDATION}\`: \`{"validationResponse": <validationCode>}\``,
  },
  sample: azureEventGridSample,
  docs: {
    entry: { name: 'grid', secret: 'env:EVENT_GRID_KEY' },
    verified:
      '`aeg-sas-key` equals the key, or the `queryParameter` of the URL does; the body is not covered',
    replayWindow: 'none',
    eventId: "each event's `id`",
    eventType: "each event's `eventType` (CloudEvents: `type`)",
    oracle: { sdk: ['@azure/eventgrid'] },
  },
});
