/**
 * The delivery runs in progress per destination in this process, at most `perDestination` at
 * once: a destination that answers slowly holds that many of the runner's slots and no more,
 * so the others keep slots for every other destination.
 */
export class DestinationSlots {
  readonly #busy = new Map<string, number>();

  constructor(private readonly perDestination: number) {}

  /** Takes a slot for `key`, or says there is none free (the caller defers the delivery). */
  take(key: string): boolean {
    const busy = this.#busy.get(key) ?? 0;
    if (busy >= this.perDestination) return false;
    this.#busy.set(key, busy + 1);
    return true;
  }

  release(key: string): void {
    const busy = (this.#busy.get(key) ?? 0) - 1;
    if (busy > 0) this.#busy.set(key, busy);
    else this.#busy.delete(key);
  }
}
