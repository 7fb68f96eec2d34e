import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { FastifyReply } from 'fastify';

// Escapes every `<%= %>` by default; templates print raw HTML only through `<%~ %>`.
const eta = new Eta({
  views: fileURLToPath(new URL('./views', import.meta.url)),
  autoEscape: true,
  cache: true,
});

/** What every page's layout needs besides its own data. */
export interface PageContext {
  readonly title: string;
  /** Logged-in user; absent on the login page. */
  readonly user?: string;
  /** For the logout form and every other form on the page. */
  readonly csrfToken: string;
  /** Which item of the top bar is current. */
  readonly section: 'overview' | 'events' | 'login';
  /** Reload the page this often (a meta refresh: no script needed under the CSP). */
  readonly refreshSeconds?: number;
}

export function renderPage(
  reply: FastifyReply,
  template: string,
  data: PageContext & Record<string, unknown>,
  status = 200,
): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(eta.render(template, { ...data, format }));
}

const UNITS: Array<[number, string]> = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/** Helpers the templates call; times are shown in UTC, the zone the filters read. */
export const format = {
  time(date: Date | null | undefined): string {
    if (!date) return '—';
    return `${date.toISOString().replace('T', ' ').slice(0, 19)}Z`;
  },
  duration(seconds: number): string {
    const parts: string[] = [];
    let rest = Math.floor(seconds);
    for (const [size, unit] of UNITS) {
      if (rest >= size || (parts.length === 0 && size === 1)) {
        parts.push(`${Math.floor(rest / size)} ${unit}`);
        rest %= size;
      }
      if (parts.length === 2) break;
    }
    return parts.join(' ');
  },
  ago(date: Date | null | undefined, now = new Date()): string {
    if (!date) return '';
    return `${format.duration(Math.max(0, (now.getTime() - date.getTime()) / 1000))} ago`;
  },
  /** `in 3 min 5 s`, or `due` once the time has come. */
  until(date: Date, now = new Date()): string {
    const seconds = (date.getTime() - now.getTime()) / 1000;
    return seconds < 1 ? 'due' : `in ${format.duration(seconds)}`;
  },
  number(value: number): string {
    return value.toLocaleString('en-US');
  },
  json(value: unknown): string {
    return JSON.stringify(value, null, 2);
  },
  /** An error's first line, at most `max` characters: a stack trace stays in the tooltip. */
  short(text: string | null | undefined, max = 120): string {
    const line = (text ?? '').split('\n', 1)[0] ?? '';
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
  },
};
