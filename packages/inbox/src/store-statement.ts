import type { EventStatus } from '@webhook-inbox/db';
import type { EventToStore } from './store.ts';

/** A row the batch statement returns: one it inserted, or one an earlier delivery stored. */
export interface RowFound {
  /** Null for a key retention kept after deleting its row (retained_event_keys). */
  id: string | null;
  source: string;
  event_id: string;
  signed_content_sha256: string | null;
  status: EventStatus | null;
  body_sha256: string | null;
  inserted: boolean;
}

const COLUMNS = 10;

/**
 * One round trip for a batch of events distinct on both unique keys: insert what is new, and in
 * the same snapshot find the rows earlier deliveries stored. The statement is prepared once per
 * batch size and connection; plain parameters, unlike arrays, need no escaping of the bodies.
 */
function insertOrFindStatement(size: number): string {
  const rows = Array.from({ length: size }, (_, row) => {
    const p = (column: number) => `$${row * COLUMNS + column}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}::jsonb, ${p(5)}::jsonb, ${p(6)}, ${p(7)}, ${p(8)}::text[], ${p(9)}, ${p(10)}::numeric)`;
  });
  const found = `e.id, e.source, e.event_id, e.signed_content_sha256, e.status, e.body_sha256`;
  const retained = `null::bigint, k.source, k.event_id, k.signed_content_sha256, null::event_status, null`;
  return `
    with input (source, event_id, event_type, payload, headers, signed_content_sha256, body_sha256,
        destinations, ordering_key, ordering_value)
      as (values ${rows.join(', ')}),
    inserted as (
      insert into webhook_events
        (source, event_id, event_type, payload, headers, signed_content_sha256, body_sha256,
         ordering_key, ordering_value)
      select i.source, i.event_id, i.event_type, i.payload, i.headers, i.signed_content_sha256,
        i.body_sha256, i.ordering_key, i.ordering_value
      from input i
      -- Two probes of a small table's unique indexes, the same as webhook_events' own keys cost.
      where not exists (
          select 1 from retained_event_keys k where k.source = i.source and k.event_id = i.event_id)
        and not exists (
          select 1 from retained_event_keys k
          where k.source = i.source and k.signed_content_sha256 = i.signed_content_sha256)
      on conflict do nothing
      returning id, source, event_id, signed_content_sha256, status, body_sha256
    ),
    -- The event's ledger rows in the same statement, so they exist as soon as the event does.
    deliveries as (
      insert into event_deliveries (event_row_id, destination)
      select n.id, unnest(i.destinations) from inserted n
        join input i on i.source = n.source and i.event_id = n.event_id
    )
    select *, true as inserted from inserted
    union all
    select ${found}, false from webhook_events e
      join input i on e.source = i.source and e.event_id = i.event_id
    union all
    select ${found}, false from webhook_events e
      join input i on e.source = i.source and e.signed_content_sha256 = i.signed_content_sha256
    union all
    select ${retained}, false from retained_event_keys k
      join input i on k.source = i.source and k.event_id = i.event_id
    union all
    select ${retained}, false from retained_event_keys k
      join input i on k.source = i.source and k.signed_content_sha256 = i.signed_content_sha256`;
}

const statements = new Map<number, { name: string; text: string }>();
function statementFor(size: number) {
  let statement = statements.get(size);
  if (!statement) {
    statement = { name: `inbox-store-${size}`, text: insertOrFindStatement(size) };
    statements.set(size, statement);
  }
  return statement;
}

/** The one statement that stores `events` (or finds what they duplicate), with its values. */
export function storeStatement(events: readonly EventToStore[]) {
  const values = events.flatMap((e) => [
    e.source,
    e.eventId,
    e.eventType,
    e.body,
    e.headers,
    e.signedContentSha256 ?? null,
    e.bodySha256,
    e.destinations ?? [],
    e.orderingKey ?? null,
    e.orderingValue ?? null,
  ]);
  return { ...statementFor(events.length), values };
}
