import { type EventFilter, parseEventFilter } from '@webhook-inbox/inbox';
import { Option } from 'commander';
import { UsageError } from './output.ts';

/** The filter flags every command that selects events shares. */
export interface FilterFlags {
  readonly source?: string;
  readonly status?: string;
  readonly type?: string;
  readonly eventId?: string;
  readonly since?: string;
  readonly payload?: string;
}

export const filterOptions = () => [
  new Option('--source <name>', 'only this source'),
  new Option('--status <status>', 'received, processed, failed, dead, ignored (comma-separated)'),
  new Option('--type <type>', 'only this event type'),
  new Option('--event-id <id>', "the provider's event ID"),
  new Option('--since <when>', 'received within the last 90s, 15m, 1h, 2d, or since an instant'),
  new Option('--payload <match>', 'payload contains, e.g. data.customer_id=cus_1 or a JSON object'),
];

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `1h` → an instant one hour ago; anything else is passed on as an instant. */
export function sinceInstant(since: string, now = new Date()): string {
  const match = /^(\d+)\s*([smhd])$/.exec(since.trim());
  if (!match) return since;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return new Date(now.getTime() - ms).toISOString();
}

export function filterFrom(flags: FilterFlags): EventFilter {
  const parsed = parseEventFilter({
    source: flags.source,
    status: flags.status,
    type: flags.type,
    eventId: flags.eventId,
    from: flags.since === undefined ? undefined : sinceInstant(flags.since),
    payload: flags.payload,
  });
  if (!parsed.ok) {
    if (parsed.field === 'from') {
      throw new UsageError('--since: expected a duration (90s, 15m, 1h, 2d) or a date and time');
    }
    throw new UsageError(`--${parsed.field}: ${parsed.reason}`);
  }
  return parsed.value;
}
