import {
  eventDeliveryDetails,
  eventHistory,
  eventSubscriberDetails,
  getEvent,
  HISTORY_LABELS,
  type HistoryEntry,
  type SubscriberDetail,
} from '@webhook-inbox/inbox';
import { deliveriesText } from '../deliveries-text.ts';
import type { CliEnv } from '../env.ts';
import { ago, statusText } from '../format.ts';
import { withDb } from '../inbox.ts';
import { type Output, UsageError } from '../output.ts';

function historyTable(out: Output, history: readonly HistoryEntry[]): string {
  if (history.length === 0) return out.color.dim('no attempts yet');
  return out.table(
    ['at (UTC)', 'what', 'outcome', 'took', 'by', 'error'],
    history.map((entry) => [
      entry.at.toISOString(),
      HISTORY_LABELS[entry.kind],
      entry.outcome,
      entry.durationMs === null ? '' : `${entry.durationMs} ms`,
      entry.actor,
      entry.error ?? '',
    ]),
  );
}

/** The ledger's rows; none for an event whose one subscriber succeeded at once. */
function subscribersTable(out: Output, subscribers: readonly SubscriberDetail[]): string {
  return out.table(
    ['subscriber', 'status', 'attempts', 'done (UTC)', 'last error'],
    subscribers.map((row) => [
      row.subscriber,
      row.status === 'processed' ? out.color.green(row.status) : out.color.yellow(row.status),
      row.attempts,
      row.processedAt ? row.processedAt.toISOString() : '',
      row.lastError ?? '',
    ]),
  );
}

/**
 * One event: every column, its history (attempts, replays, retries), its in-process
 * subscribers' ledger, its deliveries to HTTP destinations with their attempts, its payload and
 * headers (credentials were never stored).
 */
export async function show(env: CliEnv, out: Output, id: number) {
  const found = await withDb(env, async (db) => {
    const event = await getEvent(db, id);
    if (!event) return undefined;
    const [history, subscribers, deliveries] = await Promise.all([
      eventHistory(db, id),
      eventSubscriberDetails(db, id),
      eventDeliveryDetails(db, id),
    ]);
    return { event, history, subscribers, deliveries };
  });
  if (!found) throw new UsageError(`no event with row ID ${id}`);
  const { event: row, history, subscribers, deliveries } = found;
  out.result({ ...row, history, subscribers, deliveries }, () => {
    const fields: [string, string | number][] = [
      ['row id', row.id],
      ['source', row.source],
      ['event id', row.eventId],
      ['type', row.eventType],
      ['status', statusText(out, row.status)],
      ['attempts', row.attempts],
      ['received', `${row.receivedAt.toISOString()} (${ago(row.receivedAt)})`],
      ['processed', row.processedAt ? row.processedAt.toISOString() : '—'],
    ];
    if (row.lastError) fields.push(['last error', out.color.red(row.lastError)]);
    if (row.orderingKey !== null) {
      const value = row.orderingValue === null ? '' : ` (value ${row.orderingValue})`;
      fields.push(['ordering key', `${row.orderingKey}${value}`]);
    }
    if (row.prunedAt)
      fields.push([
        'pruned',
        `${row.prunedAt.toISOString()}: payload and headers dropped by retention`,
      ]);
    const table = [
      out.table(['field', 'value'], fields),
      out.color.bold('history'),
      historyTable(out, history),
      ...(subscribers.length === 0
        ? []
        : [out.color.bold('subscribers'), subscribersTable(out, subscribers)]),
      out.color.bold('deliveries'),
      deliveriesText(out, row.source, deliveries),
    ].join('\n');
    if (row.prunedAt) return table;
    const headers = JSON.stringify(row.headers ?? {}, null, 2);
    const payload = row.payloadTooLarge
      ? 'not shown: it prints past the read limit'
      : JSON.stringify(row.payload, null, 2);
    return `${table}\n${out.color.bold('headers')}\n${headers}\n${out.color.bold('payload')}\n${payload}`;
  });
  return 0;
}
