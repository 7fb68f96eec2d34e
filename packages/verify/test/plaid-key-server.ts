import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { SignJWT } from 'jose';
import { sha256 } from './cases/case.ts';

/** What Plaid's key endpoint was asked, in the order asked. */
export interface KeyRequest {
  readonly client_id: string;
  readonly secret: string;
  readonly key_id: string;
}

/**
 * A stand-in for Plaid's `/webhook_verification_key/get` on a local port: it answers for the
 * client ID and secret it is given, in the body or (as Plaid's SDK sends them) in the
 * `PLAID-CLIENT-ID` and `PLAID-SECRET` headers, with the public half of each key it holds.
 */
export class PlaidKeyServer {
  readonly requests: KeyRequest[] = [];
  readonly keys = new Map<string, KeyObject>();
  /** Keys Plaid has rotated out: answered with their `expired_at`. */
  readonly expiredAt = new Map<string, number>();
  /** Set to make the next answers slow, failing, or a key of the wrong type. */
  behaviour: 'normal' | 'slow' | 'failing' | 'wrong-key-type' = 'normal';
  #server: Server | undefined;
  url = '';
  /** Where Plaid's API would be: the SDK's `basePath`. */
  origin = '';

  constructor(
    private readonly clientId: string,
    private readonly secret: string,
  ) {}

  /** A new P-256 pair under `kid`; the private half is for signing as Plaid. */
  addKey(kid: string): KeyObject {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.keys.set(kid, publicKey);
    return privateKey;
  }

  async start() {
    this.#server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => {
        text += chunk;
      });
      request.on('end', () => {
        const { client_id, secret, key_id } = JSON.parse(text) as Partial<KeyRequest>;
        const asked = {
          client_id: client_id ?? String(request.headers['plaid-client-id']),
          secret: secret ?? String(request.headers['plaid-secret']),
          key_id: String(key_id),
        };
        this.#answer(asked, response);
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as { port: number };
    this.origin = `http://127.0.0.1:${port}`;
    this.url = `${this.origin}/webhook_verification_key/get`;
  }

  #answer(asked: KeyRequest, response: import('node:http').ServerResponse) {
    this.requests.push(asked);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (this.behaviour === 'slow') return void setTimeout(() => send(200, {}), 1_000);
    if (this.behaviour === 'failing') return send(500, { error_code: 'INTERNAL_SERVER_ERROR' });
    if (asked.client_id !== this.clientId || asked.secret !== this.secret) {
      return send(400, { error_code: 'INVALID_API_KEYS' });
    }
    const key = this.keys.get(asked.key_id);
    if (!key) return send(400, { error_code: 'INVALID_KEY_ID' });
    const jwk =
      this.behaviour === 'wrong-key-type'
        ? generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' })
        : key.export({ format: 'jwk' });
    const expired_at = this.expiredAt.get(asked.key_id) ?? null;
    send(200, { key: { ...jwk, kid: asked.key_id, alg: 'ES256', use: 'sig', expired_at } });
  }

  async stop() {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

/** A `Plaid-Verification` token as Plaid's documentation describes it, signed with jose. */
export function plaidToken(
  privateKey: KeyObject,
  kid: string,
  body: Buffer,
  at: Date,
  alg = 'ES256',
): Promise<string> {
  return new SignJWT({ request_body_sha256: sha256(body) })
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuedAt(Math.floor(at.getTime() / 1000))
    .sign(privateKey);
}
