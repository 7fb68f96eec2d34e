import type { EventStatus } from '@webhook-inbox/db';
import type { TestEnvironment } from '@webhook-inbox/testing';

export interface SeedRow {
  readonly source?: string;
  readonly eventId: string;
  readonly type?: string;
  readonly status?: EventStatus;
  readonly payload?: unknown;
  /** Minutes before now. */
  readonly minutesAgo?: number;
  readonly pruned?: boolean;
}

/** Rows in given states and times, as the pipeline would have left them; returns their row IDs. */
export async function seed(env: TestEnvironment, rows: readonly SeedRow[]): Promise<number[]> {
  const ids: number[] = [];
  for (const row of rows) {
    const [inserted] = await env.db.query<{ id: string }>(
      `insert into webhook_events
         (source, event_id, event_type, payload, headers, status, attempts, last_error,
          received_at, pruned_at)
       values ($1, $2, $3, $4::jsonb, '{}'::jsonb, $5, $6, $7,
               now() - $8 * interval '1 minute', case when $9 then now() end)
       returning id`,
      [
        row.source ?? 'payments',
        row.eventId,
        row.type ?? 'payment.succeeded',
        row.pruned ? null : JSON.stringify(row.payload ?? { id: row.eventId }),
        row.status ?? 'received',
        row.status === 'dead' || row.status === 'failed' ? 3 : 0,
        row.status === 'dead' || row.status === 'failed' ? 'Error: handler threw' : null,
        row.minutesAgo ?? 0,
        row.pruned ?? false,
      ],
    );
    ids.push(Number(inserted?.id));
  }
  return ids;
}
