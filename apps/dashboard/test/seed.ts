import type { TestEnvironment } from '@webhook-inbox/testing';

/** Rows as the pipeline leaves them, one per status; returns row IDs by event ID. */
export async function seedInbox(env: TestEnvironment): Promise<Record<string, number>> {
  const rows = await env.db.query<{ id: string; event_id: string }>(
    `insert into webhook_events (source, event_id, event_type, payload, headers, status, attempts, last_error, received_at)
     values
       ('payments', 'evt_processed', 'payment.succeeded', '{"data":{"customer_id":"cus_1"}}', '{"content-type":"application/json"}', 'processed', 1, null, now() - interval '5 minutes'),
       ('payments', 'evt_dead', 'payment.succeeded', '{"data":{"customer_id":"cus_1"}}', '{}', 'dead', 3, 'Error: <script>alert(1)</script>', now() - interval '4 minutes'),
       ('payments', 'evt_failed', 'payment.succeeded', '{"data":{"customer_id":"cus_2"}}', '{}', 'failed', 1, 'Error: try again', now() - interval '3 minutes'),
       ('stripe', 'evt_ignored', 'invoice.paid', '{"data":{"customer_id":"cus_1"}}', '{}', 'ignored', 1, null, now() - interval '2 minutes'),
       ('stripe', 'evt_received', 'invoice.paid', '{}', '{}', 'received', 0, null, now() - interval '1 minute')
     returning id, event_id`,
  );
  return Object.fromEntries(rows.map((row) => [row.event_id, Number(row.id)]));
}
