import { describe, expect, it } from 'vitest';
import { GroupCollector } from '../src/group-commit.ts';

interface Item {
  readonly key: string;
}

/** A collector whose flushes are recorded, each answering its items' keys. */
function collector(size: number, waitMs: number, hold?: Promise<void>) {
  const groups: string[][] = [];
  const groupCollector = new GroupCollector<Item, string>(
    { size, waitMs },
    async (items) => {
      groups.push(items.map((item) => item.key));
      await hold;
      return items.map((item) => `done ${item.key}`);
    },
    (item) => item.key,
  );
  return { groups, run: (key: string) => groupCollector.run({ key }) };
}

describe('GroupCollector', () => {
  it('flushes a full group at once, without waiting', async () => {
    const { groups, run } = collector(3, 60_000);
    const started = performance.now();
    const results = await Promise.all(['a', 'b', 'c'].map(run));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(results).toEqual(['done a', 'done b', 'done c']);
    expect(groups).toEqual([['a', 'b', 'c']]);
  });

  it('flushes a partial group once its first item has waited', async () => {
    const { groups, run } = collector(10, 30);
    const first = run('a');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = run('b');
    expect(await Promise.all([first, second])).toEqual(['done a', 'done b']);
    expect(groups).toEqual([['a', 'b']]);
  });

  it('with no wait, groups only what arrives in the same turn', async () => {
    const { groups, run } = collector(10, 0);
    const together = [run('a'), run('b')];
    await Promise.all(together);
    await run('c');
    expect(groups).toEqual([['a', 'b'], ['c']]);
  });

  it('never puts one key twice in a group, nor in two unsettled groups', async () => {
    let release: () => void = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { groups, run } = collector(2, 0, hold);
    const runs = [run('a'), run('a'), run('b')];
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The first group (a, b) is still running: the second `a` waits for it to settle.
    expect(groups).toEqual([['a', 'b']]);
    release();
    expect(await Promise.all(runs)).toEqual(['done a', 'done a', 'done b']);
    expect(groups).toEqual([['a', 'b'], ['a']]);
  });

  it('rejects every item of a group whose flush throws', async () => {
    const failing = new GroupCollector<Item, string>(
      { size: 2, waitMs: 0 },
      async () => {
        throw new Error('no connection');
      },
      (item) => item.key,
    );
    const outcomes = await Promise.allSettled([
      failing.run({ key: 'a' }),
      failing.run({ key: 'b' }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});
