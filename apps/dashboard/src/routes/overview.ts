import type { Database } from '@webhook-inbox/db';
import {
  blockedKeys,
  type EventStatus,
  type InboxStats,
  inboxStats,
  searchEvents,
} from '@webhook-inbox/inbox';
import type { FastifyInstance } from 'fastify';
import { STATUS_ORDER } from '../constants.ts';

export interface SourceRow {
  readonly source: string;
  readonly counts: Readonly<Record<EventStatus, number>>;
  readonly total: number;
}

export function sourceTable(stats: InboxStats): SourceRow[] {
  const bySource = new Map<string, Record<EventStatus, number>>();
  for (const { source, status, count } of stats.bySourceAndStatus) {
    const counts =
      bySource.get(source) ??
      (Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<EventStatus, number>);
    counts[status] = count;
    bySource.set(source, counts);
  }
  return [...bySource].map(([source, counts]) => ({
    source,
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
  }));
}

/**
 * The y-axis top: the busiest minute rounded up to an even number, so the axis's middle label
 * is a whole number too.
 */
export function chartMax(perMinute: InboxStats['perMinute']): number {
  const busiest = Math.max(1, ...perMinute.map((minute) => minute.count));
  return Math.ceil(busiest / 2) * 2;
}

/** Bars of the last hour as SVG rectangles, scaled to `chartMax`: no script, no chart library. */
export function minuteBars(perMinute: InboxStats['perMinute'], width = 600, height = 60) {
  const max = chartMax(perMinute);
  const step = width / Math.max(1, perMinute.length);
  return perMinute.map((minute, i) => {
    const h = minute.count === 0 ? 0 : Math.max(2, (minute.count / max) * height);
    return {
      x: i * step,
      y: height - h,
      w: Math.max(1, step - 1),
      h,
      minute: minute.minute,
      count: minute.count,
    };
  });
}

/** The newest dead events, listed on the overview; the rest are one click away. */
const DEAD_SHOWN = 10;
/** The oldest blocked keys listed; `webhook-inbox blocked` lists more. */
const BLOCKED_SHOWN = 20;
/** Often enough to watch a backlog drain, rarely enough to cost nothing. */
const REFRESH_SECONDS = 30;

export function overviewRoutes(db: Database) {
  return async (app: FastifyInstance) => {
    app.get('/', async (_request, reply) => {
      const [stats, dead, blocked] = await Promise.all([
        inboxStats(db),
        searchEvents(db, { statuses: ['dead'] }, { limit: DEAD_SHOWN }),
        blockedKeys(db.pool, BLOCKED_SHOWN + 1),
      ]);
      const lastHour = stats.perMinute.reduce((sum, minute) => sum + minute.count, 0);
      return reply.page('overview', {
        title: 'Overview',
        section: 'overview',
        stats,
        sources: sourceTable(stats),
        statuses: STATUS_ORDER,
        bars: minuteBars(stats.perMinute),
        chartMax: chartMax(stats.perMinute),
        refreshSeconds: REFRESH_SECONDS,
        lastHour,
        deadEvents: dead.kind === 'page' ? dead.rows : [],
        blockedKeys: blocked.slice(0, BLOCKED_SHOWN),
        moreBlocked: blocked.length > BLOCKED_SHOWN,
      });
    });
  };
}
