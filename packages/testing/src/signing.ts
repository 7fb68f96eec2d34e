import { createHmac } from 'node:crypto';

/** The `hmac` provider's default scheme, written independently of the verifier it checks. */
export function signHmacSha256(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
