import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import {
  AzureKeyCredential,
  EventGridDeserializer,
  EventGridPublisherClient,
  isSystemEvent,
} from '@azure/eventgrid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signHandshake, signSample, type Verification } from '../src/index.ts';
import { incoming, reasonOf, verifier } from './support.ts';

const KEY = 'event-grid-key-0123456789abcdef';
const source = { name: 'grid', provider: 'azure-event-grid', secret: KEY };

/** A local topic endpoint: what Azure's publisher client posts, as it posts it. */
class TopicEndpoint {
  readonly received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
  #server: Server | undefined;
  url = '';

  async start() {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(200);
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}/api/events`;
  }

  stop() {
    return new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

const endpoint = new TopicEndpoint();
beforeAll(() => endpoint.start());
afterAll(() => endpoint.stop());
beforeEach(() => {
  endpoint.received.length = 0;
});

/** What our verifier makes of the one request the endpoint received. */
function ours(key = KEY): Verification {
  const [request] = endpoint.received;
  if (!request) throw new Error('the publisher sent nothing');
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
  );
  return verifier('azure-event-grid', [key]).verify(
    incoming({ headers, body: request.body, url: '/webhooks/grid' }),
  );
}

/** Azure's publisher pointed at the local endpoint (plain HTTP is refused unless allowed). */
const publisher = <Schema extends 'EventGrid' | 'CloudEvent'>(schema: Schema) =>
  new EventGridPublisherClient(endpoint.url, schema, new AzureKeyCredential(KEY), {
    allowInsecureConnection: true,
  });

const named = (result: Verification) =>
  result.kind === 'batch'
    ? result.events.map(({ eventId, eventType }) => ({ eventId, eventType }))
    : reasonOf(result);

describe("azure-event-grid agrees with @azure/eventgrid's publisher and deserializer", () => {
  it('stores each event of a batch the publisher sends in the Event Grid schema', async () => {
    const client = publisher('EventGrid');
    await client.send(
      ['one', 'two'].map((id) => ({
        id,
        eventType: 'Contoso.Items.ItemReceived',
        subject: `items/${id}`,
        dataVersion: '1.0',
        data: { itemSku: id },
      })),
    );
    expect(endpoint.received[0]?.headers['aeg-sas-key']).toBe(KEY);
    expect(named(ours())).toEqual([
      { eventId: 'one', eventType: 'Contoso.Items.ItemReceived' },
      { eventId: 'two', eventType: 'Contoso.Items.ItemReceived' },
    ]);
    expect(reasonOf(ours('another-key'))).toBe('no_matching_secret');
  });

  it('stores each event of a batch the publisher sends as CloudEvents, by id and type', async () => {
    const client = publisher('CloudEvent');
    await client.send([
      { id: 'ce-1', type: 'com.example.order.created', source: '/orders', data: { n: 1 } },
      { id: 'ce-2', type: 'com.example.order.paid', source: '/orders', data: { n: 2 } },
    ]);
    expect(named(ours())).toEqual([
      { eventId: 'ce-1', eventType: 'com.example.order.created' },
      { eventId: 'ce-2', eventType: 'com.example.order.paid' },
    ]);
    const contentType = String(endpoint.received[0]?.headers['content-type']);
    expect(contentType).toMatch(/^application\/cloudevents-batch\+json/);
    expect(verifier('azure-event-grid', [KEY]).acceptsContentType(contentType)).toBe(true);
  });

  it('answers a validation event the publisher sends with its code, storing nothing', async () => {
    const client = publisher('EventGrid');
    await client.send([
      {
        id: 'validation-1',
        eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
        subject: '',
        dataVersion: '2',
        data: { validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' },
      },
    ]);
    expect(ours()).toEqual({
      kind: 'respond',
      body: { validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' },
    });
  });

  it("the deserializer reads our sample as Event Grid events, and our handshake as Azure's validation event", async () => {
    const deserializer = new EventGridDeserializer();
    const sample = signSample(source, { id: 'evt-1' });
    const handshake = signHandshake(source);
    if (!sample.ok || !handshake.ok) throw new Error('cannot sign');
    const [event] = await deserializer.deserializeEventGridEvents(sample.request.body);
    expect(event).toMatchObject({ id: 'evt-1', eventType: 'Microsoft.Storage.BlobCreated' });
    expect(event?.eventTime).toBeInstanceOf(Date);

    const [validation] = await deserializer.deserializeEventGridEvents(handshake.request.body);
    if (!validation) throw new Error('no validation event');
    expect(isSystemEvent('Microsoft.EventGrid.SubscriptionValidationEvent', validation)).toBe(true);
    if (!isSystemEvent('Microsoft.EventGrid.SubscriptionValidationEvent', validation)) return;
    const answer = verifier('azure-event-grid', [KEY]).verify(
      incoming({
        headers: Object.fromEntries(
          Object.entries(handshake.request.headers).map(([k, v]) => [k.toLowerCase(), v]),
        ),
        body: Buffer.from(handshake.request.body),
        url: handshake.request.path,
      }),
    );
    expect(answer).toEqual({
      kind: 'respond',
      body: { validationResponse: validation.data.validationCode },
    });
  });

  it('the deserializer refuses what we refuse: an event without its required fields', async () => {
    const body = JSON.stringify([{ eventType: 'Contoso.Items.ItemReceived', data: {} }]);
    await expect(new EventGridDeserializer().deserializeEventGridEvents(body)).rejects.toThrow();
    const result = verifier('azure-event-grid', [KEY]).verify(
      incoming({
        headers: { 'content-type': 'application/json', 'aeg-sas-key': KEY },
        body: Buffer.from(body),
        url: '/webhooks/grid',
      }),
    );
    expect(reasonOf(result)).toBe('malformed_body');
  });
});
