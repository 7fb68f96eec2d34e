export interface GroupCommitOptions {
  /** Most items one commit carries; more wait for the next. */
  readonly maxBatch: number;
  /** Commits under way at once; items arriving meanwhile gather for the next. */
  readonly maxInFlight: number;
}

interface Waiting<Item, Result> {
  readonly item: Item;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/** What the batches looked like so far: for tests and the bench, not for decisions. */
export interface GroupCommitStats {
  batches: number;
  items: number;
  largestBatch: number;
}

/**
 * Group commit: items submitted while a commit is under way wait for the next one, which carries
 * all of them. A batch starts when the event loop has run out of other work (every request that
 * was ready has been read), not after a fixed delay, so a lone item never waits for company.
 * `commit` answers for every item of a batch, in order; if it throws, the whole batch fails.
 */
export class GroupCommit<Item, Result> {
  readonly stats: GroupCommitStats = { batches: 0, items: 0, largestBatch: 0 };
  #waiting: Waiting<Item, Result>[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(
    private readonly commit: (items: Item[]) => Promise<Result[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule() {
    const busy = this.#inFlight >= this.options.maxInFlight;
    if (this.#scheduled || busy || this.#waiting.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush() {
    while (this.#inFlight < this.options.maxInFlight && this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.options.maxBatch);
      this.#inFlight += 1;
      this.stats.batches += 1;
      this.stats.items += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      void this.#run(batch);
    }
  }

  async #run(batch: Waiting<Item, Result>[]) {
    try {
      const results = await this.commit(batch.map((waiting) => waiting.item));
      for (const [i, waiting] of batch.entries()) waiting.resolve(results[i] as Result);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.#inFlight -= 1;
      this.#schedule();
    }
  }
}
