import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** What the receiving service does with an event it has not seen before. */
export type EventHandler = (webhookId: string, event: unknown) => Promise<void> | void;

const MAX_BODY_BYTES = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headerValues(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/**
 * A service receiving webhook-inbox deliveries. Delivery is at-least-once: a delivery whose
 * answer was lost is sent again with the same `webhook-id`, so the receiver keeps the IDs it
 * has handled and acknowledges a repeat without handling it twice.
 */
export function createReceiver(secret: string, handle: EventHandler): Server {
  const webhook = new Webhook(secret);
  // In memory for the example; a real service stores the ID in the same transaction as the
  // event's effect (a unique key), so a crash between the two cannot double it.
  const handled = new Set<string>();

  /** The status to answer, having handled the event when it is new. */
  async function answer(request: IncomingMessage): Promise<number> {
    if (request.method !== 'POST') return 405;
    const body = await readBody(request);
    if (body === undefined) return 413;
    const headers = headerValues(request);
    let event: unknown;
    try {
      event = webhook.verify(body, headers);
    } catch {
      return 401;
    }
    const webhookId = headers['webhook-id'] as string;
    if (handled.has(webhookId)) {
      console.log(`duplicate ${webhookId}`);
      return 200;
    }
    try {
      await handle(webhookId, event);
    } catch (error) {
      console.error(`failed ${webhookId}: ${(error as Error).message}`);
      return 500;
    }
    handled.add(webhookId);
    return 200;
  }

  return createServer(async (request, response) => {
    response.writeHead(await answer(request)).end();
  });
}
