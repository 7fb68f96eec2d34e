import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import {
  DEFAULT_KEY_CACHE_LIMITS,
  isFailingStatus,
  KeyCache,
  KeyHostFailing,
  type KeyLookup,
  withLookup,
} from './key-cache.ts';

/**
 * Where a sender's certificate may be fetched from. The URL comes from a request not yet
 * verified: without an allow-list, anyone could make us fetch from any host (and sign with a
 * certificate of their own).
 */
export interface CertificateHosts {
  /** Matched against the URL's host name, lower-case, without the port. */
  readonly hostPattern: RegExp;
  /**
   * For tests against a local server only: also `http://` (and any port) to a loopback host.
   * A non-loopback host still needs `https://` on the default port.
   */
  readonly loopbackHttp: boolean;
}

/** The options every fetched-certificate provider has, with its own host pattern as default. */
export const certificateFetchOptions = (defaultHostPattern: string) => ({
  /** A regular expression for the certificate (and SNS's SubscribeURL) host. */
  certificateHostPattern: z
    .string()
    .min(1)
    .refine(isRegExp, 'not a regular expression')
    .default(defaultHostPattern),
  allowLoopbackHttpForTests: z.boolean().default(false),
  certificateFetchTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(DEFAULT_KEY_CACHE_LIMITS.deadlineMs),
  certificateCacheSeconds: z.number().int().positive().default(3_600),
  /**
   * A PEM certificate to verify with instead of fetching (the URL is still checked): `send`'s
   * sample certificate for a local try, or a sender's own for an inbox that may not fetch. A
   * sender that replaces its certificate then fails until this is changed.
   */
  certificate: z.string().refine(isCertificate, 'not a PEM X.509 certificate').optional(),
});

function isCertificate(text: string): boolean {
  try {
    new X509Certificate(text);
    return true;
  } catch {
    return false;
  }
}

function isRegExp(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

/** `certificateFetchOptions` as parsed. */
export interface CertificateFetchSettings {
  readonly certificateHostPattern: string;
  readonly allowLoopbackHttpForTests: boolean;
  readonly certificateFetchTimeoutMs: number;
  readonly certificateCacheSeconds: number;
  readonly certificate?: string | undefined;
}

export const hostsOf = (options: {
  certificateHostPattern: string;
  allowLoopbackHttpForTests: boolean;
}): CertificateHosts => ({
  hostPattern: new RegExp(options.certificateHostPattern),
  loopbackHttp: options.allowLoopbackHttpForTests,
});

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** The URL if `hosts` allow it, or what is wrong with it (safe to log: it names no secret). */
export function allowListedUrl(
  text: string,
  hosts: CertificateHosts,
): { ok: true; url: URL } | { ok: false; problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'not a URL' };
  }
  const loopback = hosts.loopbackHttp && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:')) {
    return { ok: false, problem: 'not https' };
  }
  if (url.username !== '' || url.password !== '' || (url.port !== '' && !loopback)) {
    return { ok: false, problem: 'credentials or a port in the URL' };
  }
  if (!hosts.hostPattern.test(url.hostname)) {
    return { ok: false, problem: `host ${url.hostname.slice(0, 100)} is not allow-listed` };
  }
  return { ok: true, url };
}

const MAX_CERTIFICATE_BYTES = 64 * 1024;

/** The body, refused past `limit` bytes without reading the rest. */
async function boundedText(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel();
      throw new Error(`the certificate is longer than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** No redirects: the allow-list was checked on this URL, not on wherever it might send us. */
async function fetchCertificate(url: string, signal: AbortSignal): Promise<X509Certificate> {
  const response = await fetch(url, { signal, redirect: 'error' });
  if (response.status !== 200) {
    await response.body?.cancel();
    const Failure = isFailingStatus(response.status) ? KeyHostFailing : Error;
    throw new Failure(`the certificate URL answered HTTP ${response.status}`);
  }
  const text = await boundedText(response, MAX_CERTIFICATE_BYTES);
  try {
    return new X509Certificate(text);
  } catch {
    throw new Error('the certificate URL answered no X.509 certificate');
  }
}

/** The certificate's RSA public key if it is valid at `now`, or why it cannot be used. */
export function rsaKeyOf(certificate: X509Certificate, now: Date): KeyLookup {
  const at = now.getTime();
  if (at < Date.parse(certificate.validFrom) || at > Date.parse(certificate.validTo)) {
    return { ok: false, problem: 'the certificate is expired or not yet valid' };
  }
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
    return { ok: false, problem: 'the certificate holds no RSA key' };
  }
  return { ok: true, key: certificate.publicKey };
}

/**
 * Certificates by URL, fetched from allow-listed hosts only, each kept for `cacheSeconds`
 * (the sender may replace one behind the same URL) and fetched within `timeoutMs`.
 */
export class FetchedCertificates {
  readonly #cache: KeyCache<X509Certificate>;
  readonly #pinned: X509Certificate | undefined;

  /** The certificates a provider's `certificateFetchOptions` describe. */
  static fromOptions(options: CertificateFetchSettings): FetchedCertificates {
    return new FetchedCertificates(hostsOf(options), {
      timeoutMs: options.certificateFetchTimeoutMs,
      cacheSeconds: options.certificateCacheSeconds,
      pinned: options.certificate,
    });
  }

  constructor(
    private readonly hosts: CertificateHosts,
    limits: { timeoutMs: number; cacheSeconds: number; pinned?: string | undefined },
  ) {
    this.#pinned = limits.pinned === undefined ? undefined : new X509Certificate(limits.pinned);
    this.#cache = new KeyCache(fetchCertificate, {
      ...DEFAULT_KEY_CACHE_LIMITS,
      deadlineMs: limits.timeoutMs,
      ttlMs: limits.cacheSeconds * 1000,
    });
  }

  /** Whether `url` may be fetched at all: checked before any request is made. */
  check(url: string): { ok: true; url: URL } | { ok: false; problem: string } {
    return allowListedUrl(url, this.hosts);
  }

  /** The RSA key of the certificate at `url` (already checked), valid at `now`. */
  rsaKey(url: string, now: Date): KeyLookup | Promise<KeyLookup> {
    if (this.#pinned) return rsaKeyOf(this.#pinned, now);
    return withLookup(this.#cache.lookup(url), (found) =>
      found.ok ? rsaKeyOf(found.key, now) : found,
    );
  }
}
