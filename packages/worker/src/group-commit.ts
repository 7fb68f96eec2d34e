/** How jobs that are ready together are gathered into one transaction. */
export interface GroupSettings {
  /** At most this many jobs share a transaction (1: each job has its own). */
  readonly size: number;
  /**
   * How long the first job of a group waits for others (0: only those handed over in the same
   * turn of the event loop).
   */
  readonly waitMs: number;
}

export const GROUP_DEFAULTS: GroupSettings = { size: 32, waitMs: 2 };

interface Waiting<Item, Result> {
  readonly item: Item;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers items handed over one at a time into groups of up to `size`, each flushed when full
 * or `waitMs` after its first item, and hands every item its own result from the flush.
 * Groups flush independently: one may still be running while the next gathers.
 */
export class GroupCollector<Item, Result> {
  #waiting: Waiting<Item, Result>[] = [];
  #cancelTimer: (() => void) | undefined;
  /** Keys of the items in a group not yet settled (gathering or running), and its end. */
  readonly #busy = new Map<unknown, Promise<void>>();
  #gathering: { readonly settled: Promise<void>; readonly settle: () => void } | undefined;

  constructor(
    private readonly settings: GroupSettings,
    /** Runs one group; its results are in the order of the items. */
    private readonly flush: (items: readonly Item[]) => Promise<readonly Result[]>,
    /** Items with the same key never share a group, nor run in two groups at once. */
    private readonly keyOf: (item: Item) => unknown,
  ) {}

  async run(item: Item): Promise<Result> {
    const key = this.keyOf(item);
    // The same row twice in one group would lock against itself or run its handler twice; in
    // two groups at once the second would only hold a connection while it waits for the lock.
    for (let busy = this.#busy.get(key); busy; busy = this.#busy.get(key)) await busy;
    return new Promise<Result>((resolve, reject) => {
      this.#gathering ??= settleable();
      this.#busy.set(key, this.#gathering.settled);
      this.#waiting.push({ item, resolve, reject });
      if (this.#waiting.length >= this.settings.size) this.#flushNow();
      else if (this.#waiting.length === 1) this.#schedule();
    });
  }

  #schedule() {
    const flush = () => this.#flushNow();
    if (this.settings.waitMs > 0) {
      const timer = setTimeout(flush, this.settings.waitMs);
      this.#cancelTimer = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(flush);
      this.#cancelTimer = () => clearImmediate(immediate);
    }
  }

  #flushNow() {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const group = this.#waiting;
    const gathering = this.#gathering;
    this.#waiting = [];
    this.#gathering = undefined;
    if (group.length === 0 || !gathering) return;
    const done = () => {
      for (const { item } of group) {
        const key = this.keyOf(item);
        if (this.#busy.get(key) === gathering.settled) this.#busy.delete(key);
      }
      gathering.settle();
    };
    this.flush(group.map(({ item }) => item)).then(
      (results) => {
        done();
        for (const [i, { resolve, reject }] of group.entries()) {
          const result = results[i];
          if (result === undefined) reject(new Error('the group ended without a result for it'));
          else resolve(result);
        }
      },
      (error: unknown) => {
        done();
        for (const { reject } of group) reject(error);
      },
    );
  }
}

function settleable() {
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  return { settled, settle };
}
