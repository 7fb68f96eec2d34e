import { type Actor, type SkipOutcome, skipEvent } from '@webhook-inbox/inbox';
import { type WakeDeps, wakeNextInKeys } from './wake-next.ts';

export interface SkipDeps extends WakeDeps {
  /** Who asks, recorded in the skipped event's history. */
  readonly actor: Actor;
}

/** Skips an ordered event that holds its key (see `skipEvent`) and starts the next one. */
export async function skipAndWake(deps: SkipDeps, rowId: number): Promise<SkipOutcome> {
  const outcome = await skipEvent(deps.db, rowId, deps.actor);
  if (outcome.kind === 'skipped') await wakeNextInKeys(deps, [outcome.key]);
  return outcome;
}
