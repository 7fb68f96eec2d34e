import { randomUUID } from 'node:crypto';
import { option } from './generic.ts';
import { hex, json, type Sample, type SignedSample } from './model.ts';

/** Event Grid sends its key in `aeg-sas-key`, or the key is in the URL as a query parameter. */
function authenticated(s: Sample, body: string): SignedSample {
  const parameter = option(s.options, 'queryParameter', '');
  if (parameter === '') return json(s, { 'aeg-sas-key': s.source.secret }, body);
  const query = new URLSearchParams({ [parameter]: s.source.secret });
  return { ...json(s, {}, body), path: `${s.path}?${query}` };
}

const gridEvent = (s: Sample, eventType: string, data: Readonly<Record<string, unknown>>) => ({
  id: s.id ?? randomUUID(),
  topic: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example',
  subject: `/blobServices/default/containers/example/blobs/${hex(4)}.txt`,
  eventType,
  eventTime: s.at.toISOString(),
  data,
  dataVersion: '1',
  metadataVersion: '1',
});

/** One event in the Event Grid schema, as Event Grid posts it: an array. */
export const azureEventGrid = (s: Sample): SignedSample =>
  authenticated(
    s,
    JSON.stringify([
      gridEvent(s, s.type ?? 'Microsoft.Storage.BlobCreated', s.data ?? { api: 'PutBlob' }),
    ]),
  );

/** The validation event Event Grid sends when a subscription is created. */
export const azureEventGridHandshake = (s: Sample): SignedSample =>
  authenticated(
    s,
    JSON.stringify([
      gridEvent(s, 'Microsoft.EventGrid.SubscriptionValidationEvent', {
        validationCode: randomUUID(),
        validationUrl: `https://rp-eastus2.eventgrid.azure.net/api/subscriptions/validate?code=${hex(8)}`,
      }),
    ]),
  );
