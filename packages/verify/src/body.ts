const utf8 = new TextDecoder('utf-8', { fatal: true });

export type ParsedBody = { ok: true; text: string; json: unknown } | { ok: false; detail: string };

/** Parses a body that has already passed verification; bad bytes are the sender's fault (400). */
export function parseJsonBody(raw: Buffer): ParsedBody {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return { ok: false, detail: 'body is not valid UTF-8' };
  }
  try {
    return { ok: true, text, json: JSON.parse(text) };
  } catch {
    return { ok: false, detail: 'body is not valid JSON' };
  }
}

/** Reads `a.b.c` from parsed JSON. Numbers become strings so that IDs like 42 still work. */
export function readPath(json: unknown, path: string): string | undefined {
  let value: unknown = json;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function headerValue(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
