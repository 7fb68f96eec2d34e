import { mac } from './signers.ts';

export type Options = Readonly<Record<string, unknown>>;

/** A string option, or `fallback` when it is not set. */
export function option(options: Options, key: string, fallback: string): string;
export function option(options: Options, key: string): string | undefined;
export function option(options: Options, key: string, fallback?: string): string | undefined {
  const value = options[key];
  return typeof value === 'string' ? value : fallback;
}

/** Sets `a.b.c` in a JSON object, making the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node = target;
  for (const key of keys) {
    const next = node[key];
    node[key] =
      typeof next === 'object' && next !== null && !Array.isArray(next) ? next : ({} as object);
    node = node[key] as Record<string, unknown>;
  }
  node[last] = value;
}

/** The send time in a generic sender's configured format; `field` values may be numbers. */
export function formatTimestamp(at: Date, format: string, inBody: boolean): string | number {
  const seconds = Math.floor(at.getTime() / 1000);
  switch (format) {
    case 'unix-seconds':
      return inBody ? seconds : String(seconds);
    case 'unix-ms':
      return inBody ? at.getTime() : String(at.getTime());
    case 'iso8601':
      return at.toISOString();
    default:
      // auto: digits read as unix seconds anywhere, a date reads as ISO 8601.
      return inBody ? at.toISOString() : String(seconds);
  }
}

export interface TemplateValues {
  readonly body: string;
  readonly timestamp?: string | undefined;
  readonly id?: string | undefined;
  readonly url?: string | undefined;
}

/** The text a generic sender signs: its template with the placeholders filled in. */
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(/\{(body|timestamp|id|url)\}/g, (_match, name: keyof TemplateValues) => {
    return values[name] ?? '';
  });
}

export interface GenericSignature {
  readonly secret: string;
  readonly algorithm: string;
  readonly encoding: 'hex' | 'base64';
  readonly message: string;
}

export const genericSignature = ({ secret, algorithm, encoding, message }: GenericSignature) =>
  mac(algorithm, secret, message).toString(encoding);
