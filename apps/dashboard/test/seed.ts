import { seedRows, type TestEnvironment } from '@webhook-inbox/testing';

/** Rows as the pipeline leaves them, one per status; returns row IDs by event ID. */
export async function seedInbox(env: TestEnvironment): Promise<Record<string, number>> {
  const rows = [
    {
      eventId: 'evt_processed',
      status: 'processed',
      payload: { data: { customer_id: 'cus_1' } },
      headers: { 'content-type': 'application/json' },
      attempts: 1,
      minutesAgo: 5,
    },
    {
      eventId: 'evt_dead',
      status: 'dead',
      payload: { data: { customer_id: 'cus_1' } },
      attempts: 3,
      lastError: 'Error: <script>alert(1)</script>',
      minutesAgo: 4,
    },
    {
      eventId: 'evt_failed',
      status: 'failed',
      payload: { data: { customer_id: 'cus_2' } },
      attempts: 1,
      lastError: 'Error: try again',
      minutesAgo: 3,
    },
    {
      source: 'stripe',
      eventId: 'evt_ignored',
      type: 'invoice.paid',
      status: 'ignored',
      payload: { data: { customer_id: 'cus_1' } },
      attempts: 1,
      minutesAgo: 2,
    },
    { source: 'stripe', eventId: 'evt_received', type: 'invoice.paid', payload: {}, minutesAgo: 1 },
  ] as const;
  const ids = await seedRows(env, rows);
  return Object.fromEntries(rows.map((row, index) => [row.eventId, ids[index] as number]));
}
