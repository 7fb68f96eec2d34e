import { sha256Hex } from './crypto.ts';

function deletePath(json: Record<string, unknown>, path: string): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node: unknown = json;
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[key];
  }
  if (node !== null && typeof node === 'object') delete (node as Record<string, unknown>)[last];
}

/**
 * The digest a retry is compared by, for a sender that re-stamps fields of the body on every
 * retry (Linear's `webhookTimestamp`): the body without them, in the order the sender wrote it.
 * Two tries of one event then match; a changed field anywhere else still conflicts.
 */
export function digestWithout(body: string, paths: readonly string[]): string {
  const json = JSON.parse(body) as Record<string, unknown>;
  for (const path of paths) deletePath(json, path);
  return sha256Hex(Buffer.from(JSON.stringify(json), 'utf8'));
}
