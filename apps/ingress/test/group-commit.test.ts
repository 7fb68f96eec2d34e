import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/group-commit.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('puts what arrives in one turn of the event loop into one batch, answering each in order', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit(
      async (items: number[]) => {
        batches.push(items);
        return items.map((n) => n * 10);
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const results = await Promise.all([1, 2, 3, 4].map((n) => group.submit(n)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('gathers items arriving during a commit for the next one, and caps the batch size', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const group = new GroupCommit(
      async (items: number[]) => {
        batches.push(items);
        if (batches.length === 1)
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        return items;
      },
      { maxBatch: 3, maxInFlight: 1 },
    );
    const first = group.submit(0);
    await tick();
    const later = [1, 2, 3, 4, 5].map((n) => group.submit(n));
    await tick();
    expect(batches).toEqual([[0]]);
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[0], [1, 2, 3], [4, 5]]);
    expect(group.stats).toEqual({ batches: 3, items: 6, largestBatch: 3 });
  });

  it('runs up to maxInFlight commits at once', async () => {
    let running = 0;
    let most = 0;
    const group = new GroupCommit(
      async (items: number[]) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
        return items;
      },
      { maxBatch: 2, maxInFlight: 2 },
    );
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => group.submit(n)));
    expect(most).toBe(2);
  });

  it('fails every item of a batch whose commit throws, and goes on with the next', async () => {
    let calls = 0;
    const group = new GroupCommit(
      async (items: number[]) => {
        calls += 1;
        if (calls === 1) throw new Error('down');
        return items;
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const failed = [1, 2].map((n) => group.submit(n));
    await expect(Promise.all(failed)).rejects.toThrow('down');
    await expect(failed[1]).rejects.toThrow('down');
    expect(await group.submit(3)).toBe(3);
  });
});
