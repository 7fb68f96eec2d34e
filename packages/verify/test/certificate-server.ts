import type { KeyObject } from 'node:crypto';
import {
  createServer as createHttp,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttps, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { snsSignedMessage } from '@webhook-inbox/signing';
import { fixture } from './support.ts';

/**
 * A sender's certificate host on a local port (SNS's, PayPal's, Google's JWKS): it serves each
 * path it is given and records every path asked for, so a test can tell that nothing was fetched.
 * Over https (with the test-only TLS fixture) for oracles that fetch with `https.get`.
 */
export class CertificateServer {
  readonly requests: string[] = [];
  readonly files = new Map<string, string>();
  /** Set to make the next answers slow or failing. */
  behaviour: 'normal' | 'slow' | 'failing' = 'normal';
  #server: HttpServer | HttpsServer | undefined;
  origin = '';

  constructor(private readonly tls = false) {}

  async start() {
    const answer = (request: IncomingMessage, response: ServerResponse) => {
      const path = request.url ?? '';
      this.requests.push(path);
      const file = this.files.get(path);
      if (this.behaviour === 'slow') return void setTimeout(() => response.end(file), 1_000);
      if (this.behaviour === 'failing' || file === undefined) {
        response.writeHead(this.behaviour === 'failing' ? 500 : 404);
        return void response.end();
      }
      response.end(file);
    };
    this.#server = this.tls
      ? createHttps({ key: fixture('x509/tls.key'), cert: fixture('x509/tls.pem') }, answer)
      : createHttp(answer);
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.origin = `${this.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  /** Serves `body` at `path`; the URL to it. */
  serve(path: string, body: string): string {
    this.files.set(path, body);
    return `${this.origin}${path}`;
  }

  reset() {
    this.requests.length = 0;
    this.behaviour = 'normal';
  }

  async stop() {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

/** An SNS Notification on `topic`, signed (version 1) with the certificate at `certificateUrl`. */
export const snsNotification = (
  key: KeyObject,
  topic: string,
  messageId: string,
  certificateUrl: string,
) =>
  snsSignedMessage(
    key,
    {
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: topic,
      Message: '{"order":"o_1"}',
      Timestamp: new Date().toISOString(),
    },
    certificateUrl,
    '1',
  );
