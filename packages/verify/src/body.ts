const utf8 = new TextDecoder('utf-8', { fatal: true });

export type ParsedBody = { ok: true; text: string; json: unknown } | { ok: false; detail: string };

export type JsonObject = Readonly<Record<string, unknown>>;

export type EventBody =
  | { ok: true; text: string; json: JsonObject }
  | { ok: false; detail: string };

/** Strict UTF-8: a replacement character would store something the sender never sent. */
export function decodeUtf8(raw: Buffer): string | undefined {
  try {
    return utf8.decode(raw);
  } catch {
    return undefined;
  }
}

/** Parses a body that has already passed verification; bad bytes are the sender's fault (400). */
export function parseJsonBody(raw: Buffer): ParsedBody {
  const text = decodeUtf8(raw);
  if (text === undefined) return { ok: false, detail: 'body is not valid UTF-8' };
  try {
    return { ok: true, text, json: JSON.parse(text) };
  } catch {
    return { ok: false, detail: 'body is not valid JSON' };
  }
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Where the string opened at `open` closes: the next quote not escaped by an odd run of `\`. */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at > 0) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return text.length;
}

/**
 * Whether valid JSON text nests objects and arrays deeper than `maxDepth`. A scan of the text,
 * not a walk of the parsed value, so a hostile depth costs no stack: Postgres refuses jsonb
 * nested past its stack limit, and a handler walking the payload could overflow its own.
 * Strings are skipped with `indexOf`, which keeps the scan cheaper than the parse before it.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = closingQuote(text, i);
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}

/** How far a payload's numbers may reach; past these a reader cannot print them cheaply. */
export interface NumberBounds {
  /** Largest decimal exponent, either sign, counted as written (`1.5e300` is 300). */
  readonly maxExponent: number;
  /** Most digits in a number's integer and fraction parts together. */
  readonly maxDigits: number;
}

// A number as JSON writes it, from its first character; strings are skipped before this runs.
const JSON_NUMBER = /-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?/y;

/**
 * Whether valid JSON text holds a number beyond `bounds`. jsonb keeps numbers exact, so
 * `1e131071` is 8 bytes in a body but 131,072 digits every time the payload is read back.
 */
export function numberBeyond(text: string, bounds: NumberBounds): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = closingQuote(text, i);
    } else if (code === MINUS || (code >= DIGIT_0 && code <= DIGIT_9)) {
      JSON_NUMBER.lastIndex = i;
      const match = JSON_NUMBER.exec(text);
      if (!match) continue;
      const [literal, integer = '', fraction = '', exponent] = match;
      if (integer.length + fraction.length > bounds.maxDigits) return true;
      if (exponent !== undefined && Math.abs(Number(exponent)) > bounds.maxExponent) return true;
      i += literal.length - 1;
    }
  }
  return false;
}

function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An event is a JSON object: anything else has no fields to name it by. */
export function parseEventBody(raw: Buffer): EventBody {
  const body = parseJsonBody(raw);
  if (!body.ok) return body;
  if (!isJsonObject(body.json)) return { ok: false, detail: 'body is not a JSON object' };
  return { ok: true, text: body.text, json: body.json };
}

/**
 * Reads `a.b.c` from parsed JSON. Integers become strings so that IDs like 42 still work, but
 * only exact ones: past 2^53 two different IDs would parse to one number.
 */
export function readPath(json: unknown, path: string): string | undefined {
  let value: unknown = json;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

export function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The first of several names a header goes by (e.g. `webhook-id`, then `svix-id`) that is set. */
export function firstHeader(headers: Headers, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = headerValue(headers, name);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
