import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { fanOut, settle } from '../src/fan-out.ts';
import type { Subscriber } from '../src/registry.ts';

const subscriber = (name: string): Subscriber => ({ name, handler: async () => {} });
const [books, crm, audit] = [subscriber('books'), subscriber('crm'), subscriber('audit')] as const;

describe('who runs at an attempt', () => {
  it('runs every subscriber of an event with no ledger rows, and one alone needs none', () => {
    expect(fanOut([books], {})).toEqual({ toRun: [books], dead: [], none: false, ledgered: false });
    expect(fanOut([books, crm], {})).toMatchObject({ toRun: [books, crm], ledgered: true });
    expect(fanOut([], {})).toMatchObject({ toRun: [], none: true, ledgered: false });
  });

  it('skips processed and dead subscribers, and runs failed, pending and new ones', () => {
    const ledger = { books: 'processed', crm: 'dead', audit: 'failed' } as const;
    const fresh = subscriber('fresh');
    const replayed = subscriber('replayed');
    expect(
      fanOut([books, crm, audit, fresh, replayed], { ...ledger, replayed: 'pending' }),
    ).toEqual({
      toRun: [audit, fresh, replayed],
      dead: ['crm'],
      none: false,
      ledgered: true,
    });
    // One subscriber with a row (a failed attempt) finishes in the ledger too.
    expect(fanOut([audit], { audit: 'failed' })).toMatchObject({ ledgered: true });
  });
});

describe("an event's end", () => {
  const boom = new Error('boom');

  it('is processed, ignored, or dead while a subscriber that died before stays dead', () => {
    const handled = { kind: 'handled' } as const;
    expect(settle(fanOut([books, crm], {}), [{ name: 'books', run: handled }])).toEqual({
      kind: 'handled',
      status: 'processed',
      done: ['books'],
    });
    expect(settle(fanOut([books], {}), [{ name: 'books', run: handled }])).toMatchObject({
      status: 'processed',
      done: [],
    });
    expect(settle(fanOut([], {}), [])).toMatchObject({ status: 'ignored' });
    expect(
      settle(fanOut([books, crm], { crm: 'dead' }), [{ name: 'books', run: handled }]),
    ).toEqual({
      kind: 'handled',
      status: 'dead',
      error: 'subscriber "crm" died at an earlier attempt; replay it to run it again',
      done: ['books'],
    });
  });

  it('fails with the one error as it is, keeping the done subscribers done', () => {
    const result = settle(fanOut([books, crm], {}), [
      { name: 'books', run: { kind: 'handled' } },
      { name: 'crm', run: { kind: 'failed', error: boom } },
    ]);
    expect(result).toEqual({
      kind: 'failed',
      error: boom,
      failures: [{ subscriber: 'crm', error: 'Error: boom', unrecoverable: false }],
      done: ['books'],
    });
  });

  it('fails for good with several errors only when no retry can fix any of them', () => {
    const unfixable = new UnrecoverableError('bad payload');
    const runs = (second: unknown) => [
      { name: 'crm', run: { kind: 'failed', error: unfixable } } as const,
      { name: 'audit', run: { kind: 'failed', error: second } } as const,
    ];
    const both = settle(fanOut([crm, audit], {}), runs(new UnrecoverableError('also bad')));
    expect(both.kind === 'failed' && both.error).toBeInstanceOf(UnrecoverableError);
    const mixed = settle(fanOut([crm, audit], {}), runs(boom));
    expect(mixed.kind === 'failed' && mixed.error).not.toBeInstanceOf(UnrecoverableError);
    // The one no retry can fix is given up alone; the other is retried.
    expect(mixed.kind === 'failed' && mixed.failures.map((f) => f.unrecoverable)).toEqual([
      true,
      false,
    ]);
    expect(mixed.kind === 'failed' && (mixed.error as Error).message).toBe(
      'subscriber "crm": UnrecoverableError: bad payload; subscriber "audit": Error: boom',
    );
  });

  it('runs again after a deadlock alone, and a failure outweighs a deadlock', () => {
    const conflict = { kind: 'conflict', error: new Error('deadlock detected') } as const;
    const plan = fanOut([books, crm], {});
    expect(
      settle(plan, [
        { name: 'books', run: { kind: 'handled' } },
        { name: 'crm', run: conflict },
      ]),
    ).toEqual({
      kind: 'again',
      reason: conflict.error,
      done: ['books'],
    });
    const failed = settle(plan, [
      { name: 'books', run: { kind: 'failed', error: boom } },
      { name: 'crm', run: conflict },
    ]);
    expect(failed).toMatchObject({ kind: 'failed', error: boom, done: [] });
  });
});
