import { performance } from 'node:perf_hooks';
import type { Destination } from './destination.ts';
import type { AttemptRecord, DeliveryOutcome } from './outcome.ts';
import { parseRetryAfter } from './retry-after.ts';

export const SNIPPET_BYTES = 1024;

/**
 * The first `limit` bytes of a body; the rest is never read: cancelling the stream closes the
 * connection, so a huge or endless response costs one KiB of memory, not its size.
 */
async function readSnippet(body: ReadableStream<Uint8Array> | null, limit: number) {
  const chunks: Uint8Array[] = [];
  let error: unknown;
  if (body !== null) {
    const reader = body.getReader();
    let size = 0;
    try {
      while (size < limit) {
        const { done, value } = await reader.read();
        if (done) break;
        const part = value.subarray(0, limit - size);
        chunks.push(part);
        size += part.length;
      }
    } catch (readError) {
      error = readError;
    } finally {
      await reader.cancel().catch(() => {});
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), error };
}

function describeFailure(error: unknown): { reason: 'timeout' | 'network'; message: string } {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return { reason: 'timeout', message: 'no complete answer within the timeout' };
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error).message;
  return { reason: 'network', message: `request failed: ${String(detail)}` };
}

export interface AttemptRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly startedAt: Date;
  readonly maxRetryAfterMs: number;
}

/**
 * POSTs once, within the destination's timeout (headers and the bounded body read together),
 * without following redirects: a 3xx is a failure to retry, since following it would let a
 * destination send signed events to a host the allow-list never approved.
 */
export async function attemptDelivery(
  destination: Destination,
  request: AttemptRequest,
): Promise<Exclude<DeliveryOutcome, { attempt: undefined }>> {
  const start = performance.now();
  const record = (fields: Pick<AttemptRecord, 'status' | 'responseSnippet' | 'error'>) => ({
    startedAt: request.startedAt,
    latencyMs: Math.round(performance.now() - start),
    ...fields,
  });
  let response: Response;
  try {
    response = await fetch(destination.url, {
      method: 'POST',
      body: request.body,
      headers: request.headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(destination.timeoutMs),
    });
  } catch (error) {
    const { reason, message } = describeFailure(error);
    const attempt = record({ status: undefined, responseSnippet: '', error: message });
    return { kind: 'retry', reason, retryAfterMs: undefined, attempt };
  }
  // The status has decided the outcome once it arrived: a 2xx whose body then stalls was still
  // accepted, and only the record notes the unfinished read.
  const snippet = await readSnippet(response.body, SNIPPET_BYTES);
  const readError =
    snippet.error === undefined ? undefined : `body: ${describeFailure(snippet.error).message}`;
  const responseSnippet = snippet.text;
  const { status } = response;
  if (status >= 200 && status < 300) {
    return { kind: 'delivered', attempt: record({ status, responseSnippet, error: readError }) };
  }
  if (status === 410) {
    const error = 'the destination answered 410 Gone';
    return { kind: 'gone', attempt: record({ status, responseSnippet, error }) };
  }
  const redirect = status >= 300 && status < 400;
  const error = redirect
    ? `the destination answered ${status}, a redirect, which is never followed`
    : `the destination answered ${status}`;
  return {
    kind: 'retry',
    reason: redirect ? 'redirect' : 'status',
    retryAfterMs: parseRetryAfter(
      response.headers.get('retry-after'),
      request.startedAt.getTime(),
      request.maxRetryAfterMs,
    ),
    attempt: record({ status, responseSnippet, error }),
  };
}
