import type { Oracle } from './provider.ts';
import { PROVIDERS } from './registry.ts';

/** Where the generated table sits in a Markdown file; everything between is rewritten. */
export const TABLE_START = '<!-- providers table: generated from the provider modules -->';
export const TABLE_END = '<!-- end of providers table -->';

/** JSON on one line with a space after each `:` and `,`, as a reader types it. */
function inline(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  const fields = Object.entries(value).map(([key, v]) => `${JSON.stringify(key)}: ${inline(v)}`);
  return `{${fields.join(', ')}}`;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

const COLUMNS = [
  'Provider',
  'Sources-file entry',
  'What is verified',
  'Replay window',
  'Handshake answered',
  'Event ID from',
  'Event type from',
  'Checked against',
];

function oracleCell(oracle: Oracle): string {
  if (oracle === 'none') return '—';
  if ('sdk' in oracle) return oracle.sdk.map((name) => `\`${name}\``).join(', ');
  return `documented ${oracle.documented}`;
}

/** The providers table, one row per registered provider, as Markdown. */
export function providersTable(): string {
  const rows = PROVIDERS.map(({ name, docs, handshake }) => {
    const { name: sourceName, ...entry } = docs.entry;
    return [
      docs.senders === undefined ? `\`${name}\`` : `\`${name}\` (${docs.senders})`,
      `\`${inline({ name: sourceName, provider: name, ...entry })}\``,
      docs.verified,
      docs.replayWindow,
      handshake?.description ?? 'none',
      docs.eventId,
      docs.eventType,
      oracleCell(docs.oracle),
    ];
  });
  return [COLUMNS, COLUMNS.map(() => '---'), ...rows]
    .map((row) => `| ${row.map(cell).join(' | ')} |`)
    .join('\n');
}

/** `markdown` with the text between the table's markers replaced by the current table. */
export function withProvidersTable(markdown: string): string {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('the providers table markers are missing');
  const before = markdown.slice(0, start + TABLE_START.length);
  return `${before}\n\n${providersTable()}\n\n${markdown.slice(end)}`;
}
