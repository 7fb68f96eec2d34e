// The bench's yardstick: the same framework on the same machine, reading the same bodies as raw
// bytes and answering as the ingress does, with no verification, no database and no queue.
import Fastify from 'fastify';

const app = Fastify({ bodyLimit: 1024 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.post('/webhooks/:source', async () => ({ received: true, duplicate: false }));
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`Server listening at ${address}`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
