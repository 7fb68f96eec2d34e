import { readFileSync } from 'node:fs';
import type { SampleEvent, SignedSample } from '@webhook-inbox/signing';
import { signHandshake, signSample } from '@webhook-inbox/verify';
import type { CliEnv } from '../env.ts';
import { type Output, UsageError } from '../output.ts';
import { sourceNamed } from '../sources.ts';

export interface SendOptions {
  readonly type?: string;
  /** JSON text, or `@file` to read it from a file. */
  readonly data?: string;
  readonly id?: string;
  readonly url?: string;
  readonly repeat: number;
  /** Sign each repeat afresh (a changed body under the same --id) instead of resending it. */
  readonly changedBody?: boolean;
  /** Send the provider's check of a new URL instead of an event. */
  readonly handshake?: boolean;
}

interface Sent {
  readonly status: number;
  readonly answer: unknown;
  readonly ms: number;
}

function parseData(data: string | undefined): Record<string, unknown> | undefined {
  if (data === undefined) return undefined;
  let text = data;
  if (data.startsWith('@')) {
    try {
      text = readFileSync(data.slice(1), 'utf8');
    } catch {
      throw new UsageError(`--data ${data}: cannot read the file`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--data: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('--data: must be a JSON object');
  }
  return value as Record<string, unknown>;
}

async function deliver(base: string, request: SignedSample): Promise<Sent> {
  const started = performance.now();
  const method = request.method ?? 'POST';
  const response = await fetch(new URL(request.path, base), {
    method,
    headers: request.headers,
    ...(method === 'POST' && { body: request.body }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let answer: unknown = text;
  // A challenge echoed as text stays text, even one that reads as JSON (Meta's digits).
  const isText = /^text\/plain/i.test(response.headers.get('content-type') ?? '');
  try {
    if (!isText) answer = JSON.parse(text);
  } catch {
    // Not JSON: shown as the text it is.
  }
  return { status: response.status, answer, ms: Math.round(performance.now() - started) };
}

/**
 * Signs a sample event (or with `handshake` the provider's check of a new URL) exactly as the
 * source's provider would, with its configured secret and options, and sends it `repeat`
 * times: the same bytes each time, as a provider's retry does, or with `changedBody` signed
 * afresh each time (a new event, or under `--id` a changed body).
 */
export async function send(env: CliEnv, out: Output, sourceName: string, options: SendOptions) {
  const source = sourceNamed(env, sourceName);
  const secret = source.secrets[0] as string;
  const event: SampleEvent = { id: options.id, type: options.type, data: parseData(options.data) };
  const base = options.url ?? env.INGRESS_URL;
  const results: Sent[] = [];
  const bar = out.progress(options.repeat, 'sending');
  // A changed body is signed a second later each time, so a timestamped body does change.
  const sign = (repeat: number) => {
    const at = new Date(Date.now() + repeat * 1_000);
    const signed = options.handshake
      ? signHandshake({ ...source, secret }, at)
      : signSample({ ...source, secret }, event, at);
    if (!signed.ok) throw new UsageError(signed.error);
    return signed;
  };
  const first = sign(0);
  for (let i = 0; i < options.repeat; i += 1) {
    const signed = i > 0 && options.changedBody ? sign(i) : first;
    try {
      results.push(await deliver(base, signed.request));
    } catch (error) {
      bar.stop();
      throw new UsageError(
        `cannot reach the ingress at ${base}: ${(error as Error).message} (start it with npm start, or set INGRESS_URL or pass --url)`,
      );
    }
    bar.increment();
  }
  bar.stop();
  out.result(results, () =>
    out.table(
      ['#', 'status', 'answer', 'ms'],
      results.map((sent, i) => [
        i + 1,
        sent.status < 300 ? out.color.green(sent.status) : out.color.red(sent.status),
        JSON.stringify(sent.answer),
        sent.ms,
      ]),
    ),
  );
  return results.every((sent) => sent.status >= 200 && sent.status < 300) ? 0 : 1;
}
