import type { AddressInfo } from 'node:net';
import { createReceiver } from './receiver.ts';

const secret = process.env.RECEIVER_SECRET;
if (!secret?.startsWith('whsec_')) {
  console.error(
    "receiver: set RECEIVER_SECRET to the destination's secret (whsec_…, the same value as in the sources file)",
  );
  process.exit(1);
}
const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? '127.0.0.1';

function logEvent(webhookId: string, event: unknown) {
  const type = (event as { type?: unknown } | null)?.type;
  console.log(`event ${webhookId}${typeof type === 'string' ? ` ${type}` : ''}`);
}

let server: ReturnType<typeof createReceiver>;
try {
  server = createReceiver(secret, logEvent);
} catch {
  console.error('receiver: RECEIVER_SECRET is not a Standard Webhooks secret (whsec_ and base64)');
  process.exit(1);
}

server.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  console.log(`receiver listening on http://${host}:${address.port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
