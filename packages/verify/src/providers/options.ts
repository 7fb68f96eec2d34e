import { z } from 'zod';

/** A replay window in seconds, either side of now. */
export const toleranceSeconds = (defaultSeconds: number) =>
  z.number().int().positive().default(defaultSeconds);

/** Options for a provider whose only option is its replay window. */
export const replayWindowOptions = (defaultSeconds: number) =>
  z.object({ toleranceSeconds: toleranceSeconds(defaultSeconds) }).strict();

/** Options for a provider that has none: still strict, so a typo stops start-up. */
export const noOptions = z.object({}).strict();
