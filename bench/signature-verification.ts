// `node --import tsx bench/signature-verification.ts [--seconds 2]`: what one verification
// costs, per scheme, as verifications per CPU-second of one core, measured in this process.
// node:crypto alone, and through the provider's verifier (header parsing, the timestamp check,
// the body parse and event naming included). RSA X.509 (SNS) with its certificate cached, served
// once from a local port.
import {
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { SAMPLE_KEYS, snsSignedMessage } from '@webhook-inbox/signing';
import { createVerifier, type IncomingWebhook, signSample } from '@webhook-inbox/verify';
import { jwtVerify, SignJWT } from 'jose';
import { writeResults } from './results.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' } } });
const seconds = Number(values.seconds);

/** Runs `work` for the given wall time; returns completions per CPU-second used. */
function perCoreSecond(work: () => unknown): { perSecond: number; microseconds: number } {
  for (let i = 0; i < 200; i += 1) work();
  const until = performance.now() + seconds * 1000;
  const cpuBefore = process.cpuUsage();
  let n = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 50; i += 1) work();
    n += 50;
  }
  return rate(n, process.cpuUsage(cpuBefore));
}

/** `n` calls in `cpu` of this process's time, as calls per core-second and microseconds each. */
function rate(n: number, cpu: NodeJS.CpuUsage) {
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    perSecond: Math.round(n / cpuSeconds),
    microseconds: Number(((cpuSeconds / n) * 1e6).toFixed(1)),
  };
}

/** The same for work that answers with a promise (jose's JWT verification). */
async function perCoreSecondAsync(work: () => Promise<unknown>) {
  for (let i = 0; i < 200; i += 1) await work();
  const until = performance.now() + seconds * 1000;
  const cpuBefore = process.cpuUsage();
  let n = 0;
  while (performance.now() < until) {
    await Promise.all(Array.from({ length: 50 }, work));
    n += 50;
  }
  return rate(n, process.cpuUsage(cpuBefore));
}

const body = Buffer.from(
  JSON.stringify({
    id: 'evt_1',
    type: 'payment.succeeded',
    data: { object: { id: 'pi_1', amount: 4900, currency: 'usd', metadata: { order: 'A-1' } } },
    padding: 'x'.repeat(700),
  }),
);
const message = Buffer.concat([Buffer.from('1780315200'), body]);

const ed25519 = generateKeyPairSync('ed25519');
const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const hmacKey = 'whsec_bench_secret_0123456789abcdef';

const raw = (algorithm: string | null, key: KeyObject, signature: Buffer) => () => {
  if (!verify(algorithm, message, key, signature)) throw new Error('did not verify');
};

const crypto = [
  {
    scheme: 'HMAC-SHA256',
    run: (() => {
      const expected = createHmac('sha256', hmacKey).update(message).digest();
      return () => {
        if (!createHmac('sha256', hmacKey).update(message).digest().equals(expected)) {
          throw new Error('did not verify');
        }
      };
    })(),
  },
  {
    scheme: 'Ed25519',
    run: raw(null, ed25519.publicKey, sign(null, message, ed25519.privateKey)),
  },
  {
    scheme: 'ECDSA P-256 SHA-256',
    run: raw('sha256', p256.publicKey, sign('sha256', message, p256.privateKey)),
  },
  {
    scheme: 'RSA-SHA256 (2048-bit, PKCS#1 v1.5)',
    run: raw('sha256', rsa.publicKey, sign('sha256', message, rsa.privateKey)),
  },
  {
    scheme: 'RSA-SHA1 (2048-bit, PKCS#1 v1.5)',
    run: raw('sha1', rsa.publicKey, sign('sha1', message, rsa.privateKey)),
  },
];

/** SNS messages of both signature versions, verified once so the certificate is cached. */
async function snsVerifiers() {
  const fixtures = new URL('../packages/verify/test/fixtures/x509/', import.meta.url);
  const certificate = readFileSync(new URL('signer.pem', fixtures));
  const server = createServer((_, response) => response.end(certificate));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns.pem`;
  const topic = 'arn:aws:sns:eu-west-1:123456789012:bench';
  const options = { certificateHostPattern: '^127\\.0\\.0\\.1$', allowLoopbackHttpForTests: true };
  const key = readFileSync(new URL('signer.key', fixtures));
  const rows = [];
  for (const version of ['1', '2'] as const) {
    const verifier = createVerifier('aws-sns', options, [topic]);
    const fields = {
      Type: 'Notification',
      MessageId: 'b1',
      TopicArn: topic,
      Message: body.toString(),
      Timestamp: new Date().toISOString(),
    } as const;
    const signed = snsSignedMessage(createPrivateKey(key), fields, url, version);
    const request = {
      headers: {},
      rawBody: Buffer.from(JSON.stringify(signed)),
      url: '/',
      now: new Date(),
    };
    if ((await verifier.verify(request)).kind !== 'event') throw new Error('did not verify');
    rows.push({
      scheme: `RSA-SHA${version === '1' ? '1' : '256'} X.509, certificate cached`,
      provider: 'aws-sns',
      run: () => {
        const result = verifier.verify(request);
        // SendGrid's body is a batch of events: verified all the same.
        const verified = !(result instanceof Promise) && ['event', 'batch'].includes(result.kind);
        if (!verified) throw new Error('did not verify');
      },
    });
  }
  server.close();
  return rows;
}

/** A provider's sample, signed now, as the verifier sees it. */
function sampleRequest(provider: string, secret: string): IncomingWebhook {
  const signed = signSample(
    { name: provider, provider, secret },
    { data: { note: 'x'.repeat(600) } },
  );
  if (!signed.ok) throw new Error(signed.error);
  const headers = Object.fromEntries(
    Object.entries(signed.request.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return { headers, rawBody: Buffer.from(signed.request.body), url: '/', now: new Date() };
}

const verifiers = [
  ...(await snsVerifiers()),
  ...[
    { scheme: 'HMAC-SHA256', provider: 'stripe', secret: hmacKey },
    { scheme: 'Ed25519', provider: 'discord', secret: SAMPLE_KEYS.discord.configured },
    {
      scheme: 'ECDSA P-256 SHA-256',
      provider: 'sendgrid',
      secret: SAMPLE_KEYS.sendgrid.configured,
    },
  ].map(({ scheme, provider, secret }) => {
    const verifier = createVerifier(provider, {}, [secret]);
    const request = sampleRequest(provider, secret);
    return {
      scheme,
      provider,
      run: () => {
        const result = verifier.verify(request);
        // SendGrid's body is a batch of events: verified all the same.
        const verified = !(result instanceof Promise) && ['event', 'batch'].includes(result.kind);
        if (!verified) throw new Error('did not verify');
      },
    };
  }),
];

const jwt = await new SignJWT({ request_body_sha256: 'ab'.repeat(32) })
  .setProtectedHeader({ alg: 'ES256', kid: 'k' })
  .setIssuedAt()
  .sign(p256.privateKey);

const results = [
  ...crypto.map(({ scheme, run }) => ({ scheme, through: 'node:crypto', ...perCoreSecond(run) })),
  ...verifiers.map(({ scheme, provider, run }) => ({
    scheme,
    through: `${provider} verifier`,
    ...perCoreSecond(run),
  })),
  {
    scheme: 'ES256 JWT (ECDSA P-256), key cached',
    through: 'jose jwtVerify',
    ...(await perCoreSecondAsync(() => jwtVerify(jwt, p256.publicKey, { algorithms: ['ES256'] }))),
  },
];
console.table(results);
writeResults('signature-verification', { seconds, results });
