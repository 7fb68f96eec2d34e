import { hash } from 'node:crypto';
import { DEFAULT_RETRY, type OrderingSpec, orderingOf } from '@webhook-inbox/config';
import type { Database } from '@webhook-inbox/db';
import { type EventToStore, storeEvents } from '@webhook-inbox/inbox';
import { type QueueDeps, queueRows, type StoredRow } from '@webhook-inbox/inbox-queue';
import { addJobs, type WebhookQueue, webhookJob } from '@webhook-inbox/queue';
import type { Queue } from 'bullmq';

const CUSTOMERS = 50;

/**
 * Stores `count` payment events of one run straight into the inbox, queued as the ingress
 * leaves them, spread over a few customers, received `ageMs` ago; returns their row IDs in order.
 */
export async function storePayments(
  db: Database,
  tag: string,
  count: number,
  ageMs = 0,
): Promise<number[]> {
  const rows = await db.rows<{ id: string }>(
    `insert into webhook_events
       (source, event_id, event_type, payload, headers, queued_at, received_at)
     select 'payments', $1 || '_' || g, 'payment.succeeded',
       jsonb_build_object('id', $1 || '_' || g, 'type', 'payment.succeeded',
         'data', jsonb_build_object('customer_id', $1 || '_cus_' || (g % ${CUSTOMERS}),
           'amount', 1 + g % 100, 'currency', 'INR')),
       '{"content-type":"application/json"}'::jsonb, now(), now() - $3 * interval '1 millisecond'
     from generate_series(1, $2::int) g
     order by g
     returning id`,
    [tag, count, ageMs],
  );
  return rows.map((row) => Number(row.id));
}

/**
 * Adds the stored rows' jobs with the options the ingress uses, in chunks as large as its
 * batches; the rows are already marked queued.
 */
export async function addPaymentJobs(
  queue: WebhookQueue,
  rowIds: readonly number[],
  chunk = 1_000,
) {
  for (let i = 0; i < rowIds.length; i += chunk) {
    await addJobs(
      queue,
      rowIds
        .slice(i, i + chunk)
        .map((rowId) => webhookJob({ rowId, source: 'payments' }, DEFAULT_RETRY)),
    );
  }
}

/** How a run's payments are spread, and what their source does with them. */
export interface PaymentSpread {
  readonly destinations?: readonly string[];
  /** Customers the payments go round, one after another. */
  readonly customers?: number;
  /** The source's ordering: each event gets the key and value the ingress would store. */
  readonly ordering?: OrderingSpec;
}

/** The events of one run, `<tag>_1`…`<tag>_<count>`, as the ingress hands them to the inbox. */
export function paymentEvents(
  tag: string,
  count: number,
  source: string,
  { destinations = [], customers = CUSTOMERS, ordering }: PaymentSpread = {},
): EventToStore[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `${tag}_${i + 1}`;
    const data = { customer_id: `${tag}_cus_${(i + 1) % customers}`, amount: 1 + ((i + 1) % 100) };
    const payload = { id, type: 'payment.succeeded', data: { ...data, currency: 'INR' } };
    const body = JSON.stringify(payload);
    const order = ordering && orderingOf(ordering, payload);
    return {
      source,
      eventId: id,
      eventType: 'payment.succeeded',
      body,
      headers: '{"content-type":"application/json"}',
      bodySha256: hash('sha256', body, 'hex'),
      destinations,
      orderingKey: order?.key,
      orderingValue: order?.value,
    };
  });
}

/**
 * Stores the events and queues them the way the ingress does: `storeEvents` (the deliveries'
 * ledger rows with the events), then `queueRows` (the handler and delivery jobs, then the marks).
 */
export async function storeAndQueue(
  db: Database,
  deps: QueueDeps,
  events: readonly EventToStore[],
  chunk = 500,
): Promise<void> {
  for (let i = 0; i < events.length; i += chunk) {
    const batch = events.slice(i, i + chunk);
    const outcomes = await storeEvents(db, batch);
    const rows: StoredRow[] = outcomes.map((outcome, j) => {
      const event = batch[j] as EventToStore;
      if (outcome.kind !== 'inserted')
        throw new Error(`${event.eventId} was not new: ${outcome.kind}`);
      return { rowId: outcome.rowId, source: event.source, destinations: event.destinations ?? [] };
    });
    await queueRows(deps, rows);
  }
}

/** Jobs not yet finished (waiting, active, delayed…): what a worker still has to do. */
export async function jobsLeft(queue: Pick<Queue, 'getJobCounts'>): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/**
 * Exactly-once, checked: every row of the run processed once, and each customer's balance the
 * sum of its events' amounts. Returns the differences (none: []).
 */
export async function checkExactlyOnce(db: Database, tag: string, count: number) {
  const problems: string[] = [];
  const [rows] = await db.rows<{ processed: number; attempts: number }>(
    `select count(*) filter (where status = 'processed')::int as processed,
       coalesce(sum(attempts), 0)::int as attempts
     from webhook_events where starts_with(event_id, $1 || '_')`,
    [tag],
  );
  if (rows?.processed !== count) problems.push(`${rows?.processed} of ${count} rows processed`);
  if (rows?.attempts !== count) problems.push(`${rows?.attempts} attempts for ${count} rows`);
  const wrong = await db.rows<{ customer: string }>(
    `with due as (
       select payload->'data'->>'customer_id' as customer,
         sum((payload->'data'->>'amount')::bigint) as balance
       from webhook_events where starts_with(event_id, $1 || '_') group by 1)
     select due.customer from due left join accounts on accounts.id = due.customer
     where accounts.balance is distinct from due.balance`,
    [tag],
  );
  if (wrong.length > 0) problems.push(`${wrong.length} customers with a wrong balance`);
  return problems;
}
